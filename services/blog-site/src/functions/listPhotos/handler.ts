import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { dynamoPhotosRepository, dynamoPostsRepository } from '../../adapters/dynamodb'
import { originEnv, photosEnv } from '../../config'
import { listPhotosRoute } from './route'

const config = readConfig(photosEnv.extend(originEnv.shape))
const db = createDocumentClient(config)

export const handler = listPhotosRoute({
  origin: config.ORIGIN_VERIFY_SECRET,
  posts: dynamoPostsRepository(db, config.POSTS_TABLE),
  photos: dynamoPhotosRepository(db, config.PHOTOS_TABLE),
  clock: { now: () => new Date() },
})
