/**
 * How `pnpm dev` and the integration tests run the thumbnailer (contract:
 * packages/local-cloud/src/service.ts): blog-site's uploads bucket → its SNS topic → our queue
 * (receive counts, partial batch failures, redrive to a dead-letter list) → `makeThumbnails` in a
 * sandbox with the deployed function's environment, all read from the two templates by
 * `wireTopicQueue` (packages/local-cloud/src/wiring/topic-queue.ts).
 */

import { defineLocalService } from '@app/local-cloud'
import { wireTopicQueue } from '@app/local-cloud/wiring/topic-queue'

export default defineLocalService({
  name: 'thumbnailer',
  async wire(cloud) {
    return wireTopicQueue(cloud, {
      service: 'thumbnailer',
      functionKey: 'makeThumbnails',
      upstream: 'blog-site',
      bucketVariable: 'UPLOADS_BUCKET',
    })
  },
})
