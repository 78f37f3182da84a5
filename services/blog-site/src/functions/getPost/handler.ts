import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { dynamoPostsRepository } from '../../adapters/dynamodb'
import { originEnv, postsEnv } from '../../config'
import { getPostRoute } from './route'

const config = readConfig(postsEnv.extend(originEnv.shape))

export const handler = getPostRoute({
  origin: config.ORIGIN_VERIFY_SECRET,
  posts: dynamoPostsRepository(createDocumentClient(config), config.POSTS_TABLE),
})
