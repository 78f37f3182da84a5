import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createCursorCodec } from '@app/runtime/http'
import { dynamoPostsRepository } from '../../adapters/dynamodb'
import { cursorEnv, postsEnv } from '../../config'
import { listPostsRoute } from './route'

const config = readConfig(postsEnv.extend(cursorEnv.shape))
const posts = dynamoPostsRepository(createDocumentClient(config), config.POSTS_TABLE)

export const handler = listPostsRoute({ posts, cursors: createCursorCodec(config.CURSOR_SECRET) })
