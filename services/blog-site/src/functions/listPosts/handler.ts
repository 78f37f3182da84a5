import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createCursorCodec } from '@app/runtime/http'
import { dynamoPostsRepository } from '../../adapters/dynamodb'
import { cursorEnv, originEnv, postsEnv } from '../../config'
import { listPostsRoute } from './route'

const config = readConfig(postsEnv.extend(cursorEnv.shape).extend(originEnv.shape))
const posts = dynamoPostsRepository(createDocumentClient(config), config.POSTS_TABLE)

export const handler = listPostsRoute({
  origin: config.ORIGIN_VERIFY_SECRET,
  posts,
  cursors: createCursorCodec(config.CURSOR_SECRET),
})
