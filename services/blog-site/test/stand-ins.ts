import { localClients } from '@app/local-cloud/clients'
import type { LocalCloudForTests } from '@app/local-cloud/testing'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import {
  dynamoPhotosRepository,
  dynamoPostsRepository,
  dynamoSubscribersRepository,
} from '../src/adapters/dynamodb'
import { s3PhotoUploadSigner } from '../src/adapters/s3'

/** blog-site's compose outputs in this run (table and bucket names). */
export const blogOutputs = (cloud: LocalCloudForTests) => {
  const outputs = cloud.outputs['blog-site']
  if (!outputs) throw new Error('blog-site is not part of this local cloud')
  return outputs as Record<
    | 'PostsTableName'
    | 'SubscribersTableName'
    | 'PhotosTableName'
    | 'UploadsBucketName'
    | 'ThumbnailsBucketName'
    | 'SiteBucketName',
    string
  >
}

/**
 * blog-site's adapters on the run's stand-ins, on the tables and buckets the functions use, with
 * the clients under them for what a test reads directly.
 */
export const standIns = (cloud: LocalCloudForTests) => {
  const outputs = blogOutputs(cloud)
  const { db, s3 } = localClients(cloud)
  return {
    outputs,
    db,
    s3,
    posts: dynamoPostsRepository(db, outputs.PostsTableName),
    photos: dynamoPhotosRepository(db, outputs.PhotosTableName),
    subscribers: dynamoSubscribersRepository(db, outputs.SubscribersTableName),
    signer: s3PhotoUploadSigner(s3, outputs.UploadsBucketName),
  }
}

export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/** A real 64x48 JPEG, small enough to inline and valid, so the real thumbnailer succeeds. */
export const SMALL_JPEG = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAwAEADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAAAAX/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCgCMrAAAAAAAAAAAAAAAAAAAAAAP/Z',
  'base64',
)

/**
 * Resolves once the photo uploaded under `photoKey` has left `pending`. When the run's local cloud
 * includes services/thumbnailer (the full `pnpm test` run), its real handler does the work from the
 * S3 event and this only waits, bounded by attempts rather than a clock (a slow machine only takes
 * more polls); otherwise it writes the result as the thumbnailer would (real object, real item).
 */
export const finishThumbnailing = async (cloud: LocalCloudForTests, photoKey: string) => {
  const { outputs, db, s3 } = standIns(cloud)
  const status = async () =>
    (await db.send(new GetCommand({ TableName: outputs.PhotosTableName, Key: { photoKey } }))).Item?.status
  if (cloud.services.some((service) => service.name === 'thumbnailer')) {
    for (let attempt = 0; attempt < 600 && (await status()) === 'pending'; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 100))
    return
  }
  const thumbnailKey = `${photoKey.slice('photos/'.length)}/etag/64.jpg`
  await s3.send(
    new PutObjectCommand({
      Bucket: outputs.ThumbnailsBucketName,
      Key: thumbnailKey,
      Body: SMALL_JPEG,
      ContentType: 'image/jpeg',
    }),
  )
  await db.send(
    new UpdateCommand({
      TableName: outputs.PhotosTableName,
      Key: { photoKey },
      UpdateExpression: 'SET #status = :ready, width = :w, height = :h, thumbnails = :t',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':ready': 'ready',
        ':w': 64,
        ':h': 48,
        ':t': [{ width: 64, height: 48, key: thumbnailKey, contentType: 'image/jpeg' }],
      },
    }),
  )
}
