import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { dynamoPostsRepository } from '../../adapters/dynamodb'
import { postsEnv } from '../../config'
import { getPostRoute } from './route'

const config = readConfig(postsEnv)

export const handler = getPostRoute({
  posts: dynamoPostsRepository(createDocumentClient(config), config.POSTS_TABLE),
})
