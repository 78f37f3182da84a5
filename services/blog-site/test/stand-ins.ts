import { eventually } from '@app/domain/testing'
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

/** Whether this run's local cloud has services/thumbnailer (the full run does; blog-site's own files do not). */
export const hasThumbnailer = (cloud: LocalCloudForTests) =>
  cloud.services.some((service) => service.name === 'thumbnailer')

/** Which producer a photo test relies on, for its name: the report says which one ran. */
export const thumbnailProducer = (cloud: LocalCloudForTests) =>
  hasThumbnailer(cloud)
    ? 'by the real thumbnailer'
    : "by a stand-in for the thumbnailer (this run has none: blog-site's side alone)"

/**
 * The thumbnailer's result for the photo uploaded under `photoKey`. With services/thumbnailer in the
 * run, its real handler works from the S3 event and this only waits for it, failing with what it
 * waited for; without it, this writes the item and object the thumbnailer's contract describes (a
 * real object, a real item), so the test checks blog-site as the consumer alone: tests that name
 * `thumbnailProducer(cloud)` say which. The producer itself is tested in services/thumbnailer/test.
 */
export const thumbnailerResult = async (cloud: LocalCloudForTests, photoKey: string) => {
  const { outputs, db, s3 } = standIns(cloud)
  if (hasThumbnailer(cloud)) {
    await eventually(
      `the thumbnailer to mark ${photoKey} ready or failed`,
      async () =>
        (
          await db.send(
            new GetCommand({ TableName: outputs.PhotosTableName, Key: { photoKey }, ConsistentRead: true }),
          )
        ).Item?.status,
      (status) => status !== 'pending',
    )
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
