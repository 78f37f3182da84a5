import { createCloudFrontClient } from '@app/runtime/cloudfront'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { cloudFrontCdn, noCdn } from '../../adapters/cdn'
import { dynamoPostsRepository } from '../../adapters/dynamodb'
import { cdnEnv, originEnv, postsEnv } from '../../config'
import { createPostRoute } from './route'

const config = readConfig(postsEnv.extend(cdnEnv.shape).extend(originEnv.shape))

export const handler = createPostRoute({
  origin: config.ORIGIN_VERIFY_SECRET,
  posts: dynamoPostsRepository(createDocumentClient(config), config.POSTS_TABLE),
  cdn: config.DISTRIBUTION_ID ? cloudFrontCdn(createCloudFrontClient(config), config.DISTRIBUTION_ID) : noCdn,
  clock: { now: () => new Date() },
})
