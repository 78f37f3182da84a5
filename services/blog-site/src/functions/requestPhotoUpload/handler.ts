import { randomUUID } from 'node:crypto'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createS3Client } from '@app/runtime/s3'
import { dynamoPhotosRepository, dynamoPostsRepository } from '../../adapters/dynamodb'
import { s3PhotoUploadSigner } from '../../adapters/s3'
import { originEnv, uploadsEnv } from '../../config'
import { requestPhotoUploadRoute } from './route'

const config = readConfig(uploadsEnv.extend(originEnv.shape))
const db = createDocumentClient(config)

export const handler = requestPhotoUploadRoute({
  origin: config.ORIGIN_VERIFY_SECRET,
  posts: dynamoPostsRepository(db, config.POSTS_TABLE),
  photos: dynamoPhotosRepository(db, config.PHOTOS_TABLE),
  signer: s3PhotoUploadSigner(createS3Client(config), config.UPLOADS_BUCKET),
  clock: { now: () => new Date() },
  newId: randomUUID,
  maxBytes: config.MAX_PHOTO_BYTES,
})
