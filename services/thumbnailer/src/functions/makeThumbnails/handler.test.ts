import { photo } from '@app/images/fixtures'
import { lambdaContext, loadWithEnv, sqsEvent, sqsRecord } from '@app/runtime/testing'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'

const ENV = {
  UPLOADS_BUCKET: 'blog-site-test-uploads',
  THUMBNAILS_BUCKET: 'blog-site-test-thumbnails',
  PHOTOS_TABLE: 'blog-site-test-photos',
  THUMBNAIL_WIDTHS: '64',
  THUMBNAIL_FORMAT: 'jpeg',
  THUMBNAIL_QUALITY: '80',
  MAX_INPUT_BYTES: '1000000',
  MAX_INPUT_PIXELS: '10000000',
  PROCESSING_TIMEOUT_SECONDS: '10',
  MAX_RECEIVE_COUNT: '3',
}
const ETAG = 'd41d8cd98f00b204e9800998ecf8427e'
const s3 = mockClient(S3Client)
const db = mockClient(DynamoDBDocumentClient)
const { handler } = await loadWithEnv(() => import('./handler'), ENV)

/** The uploads topic's message for one upload, as the queue delivers it (SNS envelope, S3 event inside). */
const uploaded = (key: string) =>
  JSON.stringify({
    Type: 'Notification',
    Message: JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventName: 'ObjectCreated:Put',
          eventTime: '2026-11-22T10:00:00.000Z',
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'photos',
            bucket: { name: ENV.UPLOADS_BUCKET, arn: `arn:aws:s3:::${ENV.UPLOADS_BUCKET}` },
            object: { key, size: 2000, eTag: ETAG, sequencer: '0066A1B2C3' },
          },
        },
      ],
    }),
  })

describe('makeThumbnails handler', () => {
  it('reads the upload, writes its thumbnails to the configured bucket and marks its item ready', async () => {
    const bytes = await photo(200, 100)
    s3.on(GetObjectCommand, { Bucket: ENV.UPLOADS_BUCKET, Key: 'photos/a.jpg' }).resolves({
      ETag: `"${ETAG}"`,
      ContentType: 'image/jpeg',
      Body: { transformToByteArray: async () => bytes } as never,
    })
    s3.on(PutObjectCommand).resolves({})
    db.on(GetCommand).resolves({ Item: { photoKey: 'photos/a.jpg', status: 'pending' } })
    db.on(UpdateCommand).resolves({})
    const result = await handler(
      sqsEvent([sqsRecord(uploaded('photos/a.jpg'))]),
      lambdaContext('makeThumbnails'),
    )
    expect(result.batchItemFailures).toEqual([])
    expect(s3.commandCalls(PutObjectCommand).map(({ args: [put] }) => put.input.Bucket)).toEqual([
      ENV.THUMBNAILS_BUCKET,
    ])
    const [update] = db.commandCalls(UpdateCommand)
    expect(update?.args[0].input).toMatchObject({
      TableName: ENV.PHOTOS_TABLE,
      Key: { photoKey: 'photos/a.jpg' },
      ExpressionAttributeValues: { ':status': 'ready' },
    })
  })
  it('decodes only the allow-list formats: a TIFF is failed as unsupported', async () => {
    s3.reset()
    db.reset()
    const tiff = await photo(40, 30, 'tiff')
    s3.on(GetObjectCommand).resolves({
      ETag: `"${ETAG}"`,
      ContentType: 'image/jpeg',
      Body: { transformToByteArray: async () => tiff } as never,
    })
    db.on(GetCommand).resolves({ Item: { photoKey: 'photos/b.jpg', status: 'pending' } })
    db.on(UpdateCommand).resolves({})
    await handler(sqsEvent([sqsRecord(uploaded('photos/b.jpg'))]), lambdaContext('makeThumbnails'))
    expect(db.commandCalls(UpdateCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':status': 'failed',
      ':reason': 'unsupported-format',
    })
  })
})
