import { randomUUID } from 'node:crypto'
import { logger } from '@app/runtime/observability'
import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront'
import type { Cdn } from '../ports'

/**
 * Drops cached API answers from the distribution after a write. A failed invalidation is logged,
 * not thrown: the write is stored, and the short `s-maxage` of the API bounds how long the CDN
 * can serve the old answer anyway.
 */
export const cloudFrontCdn = (cloudFront: CloudFrontClient, distributionId: string): Cdn => ({
  async invalidate(paths) {
    try {
      await cloudFront.send(
        new CreateInvalidationCommand({
          DistributionId: distributionId,
          InvalidationBatch: {
            CallerReference: randomUUID(),
            Paths: { Quantity: paths.length, Items: [...paths] },
          },
        }),
      )
    } catch (error) {
      logger.error('CDN invalidation failed; cached answers expire with their s-maxage', {
        error: error as Error,
        paths,
      })
    }
  },
})

/** A stage without a CDN in front of its API (`DISTRIBUTION_ID: none`, the local stage): nothing cached to drop. */
export const noCdn: Cdn = { invalidate: async () => {} }
