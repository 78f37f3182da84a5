/**
 * Exactly-once effects against the real stand-ins (DynamoDB Local, s3rver), with the duplicates and
 * re-orderings SQS and S3 really produce, fed straight to the `makeThumbnails` consumer (the
 * factory its handler.ts builds for Lambda and `pnpm dev`, here over the same adapters). The uploads go to a bucket of this test's own, so the local
 * cloud's wiring of blog-site's uploads bucket does not race the deliveries made here.
 */

import { createHash, randomUUID } from 'node:crypto'
import { encodeS3EventKey, normaliseSequencer } from '@app/domain/photos'
import { defaultLimits } from '@app/images'
import { photo } from '@app/images/fixtures'
import { localClients } from '@app/local-cloud/clients'
import { localCloud } from '@app/local-cloud/testing'
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import type { Context, SQSEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dynamoPhotoRecords } from '../src/adapters/dynamodb'
import { sharpImaging } from '../src/adapters/imaging'
import { s3PhotoSource, s3ThumbnailStore } from '../src/adapters/s3'
import { makeThumbnailsConsumer } from '../src/functions/makeThumbnails/consumer'

const cloud = localCloud()
const blog = cloud.outputs['blog-site'] ?? {}
const { s3, dynamodb, db } = localClients(cloud)
const bucket = `thumbnailer-it-${randomUUID().slice(0, 8)}`

// The function's consumer over the real adapters (what handler.ts builds), with the local cloud's
// admin clients: the uploads bucket is this test's own, which the function's role may not read.
const handler = makeThumbnailsConsumer({
  source: s3PhotoSource(s3),
  store: s3ThumbnailStore(s3, blog.ThumbnailsBucketName!),
  records: dynamoPhotoRecords(db, blog.PhotosTableName!),
  imaging: sharpImaging({
    ...defaultLimits,
    maxInputBytes: 10_000_000,
    maxInputPixels: 50_000_000,
    timeoutSeconds: 5,
  }),
  clock: { now: () => new Date() },
  settings: { widths: [64, 128], format: 'jpeg', quality: 80, maxInputBytes: 10_000_000 },
  uploadsBucket: bucket,
  maxReceiveCount: 3,
})
const context = { functionName: 'makeThumbnails', awsRequestId: 'it' } as Context

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }))
})

afterAll(() => {
  s3.destroy()
  dynamodb.destroy()
})

let sequence = 0x10n
/** Stores a version of the object and returns the S3 event record its upload produces. */
const upload = async (key: string, body: Buffer) => {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'image/jpeg' }))
  sequence += 1n
  return {
    eventSource: 'aws:s3',
    eventName: 'ObjectCreated:Put',
    s3: {
      bucket: { name: bucket },
      object: {
        key: encodeS3EventKey(key),
        size: body.length,
        eTag: createHash('md5').update(body).digest('hex'),
        sequencer: sequence.toString(16).toUpperCase(),
      },
    },
  }
}

const deliver = async (...records: unknown[]) => {
  const event: SQSEvent = {
    Records: records.map((record, index) => ({
      messageId: `m-${index}-${randomUUID()}`,
      receiptHandle: 'h',
      body: JSON.stringify({ Type: 'Notification', Message: JSON.stringify({ Records: [record] }) }),
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:photos',
      awsRegion: 'us-east-1',
    })),
  }
  return handler(event, context)
}

const addPending = (photoKey: string) =>
  db.send(
    new PutCommand({
      TableName: blog.PhotosTableName,
      Item: { photoKey, postSlug: 'trip', uploadedAt: new Date().toISOString(), status: 'pending' },
    }),
  )

const item = async (photoKey: string) =>
  (
    await db.send(
      new GetCommand({ TableName: blog.PhotosTableName, Key: { photoKey }, ConsistentRead: true }),
    )
  ).Item as Record<string, unknown>

describe('exactly-once effects on the real stand-ins', () => {
  it('does the work once when one message is delivered twice, even in one batch', async () => {
    const key = `photos/trip/${randomUUID()}.jpg`
    await addPending(key)
    const record = await upload(key, await photo(400, 300))
    expect((await deliver(record, record)).batchItemFailures).toEqual([])
    const first = await item(key)
    expect(first).toMatchObject({ status: 'ready', width: 400 })
    expect((await deliver(record)).batchItemFailures).toEqual([])
    expect(await item(key)).toEqual(first)
  })

  it('keeps the newer upload whatever order the events arrive in', async () => {
    const key = `photos/trip/${randomUUID()}.jpg`
    await addPending(key)
    const older = await upload(key, await photo(300, 200))
    const newer = await upload(key, await photo(500, 250))
    await deliver(newer)
    await deliver(older)
    expect(await item(key)).toMatchObject({ status: 'ready', width: 500, etag: newer.s3.object.eTag })
  })

  it('reads nothing of an object overwritten since its event (If-Match, and the ETag checked again)', async () => {
    const key = `photos/trip/${randomUUID()}.jpg`
    const older = await upload(key, await photo(300, 200))
    await upload(key, await photo(500, 250))
    const read = await s3PhotoSource(s3).read({
      bucket,
      key,
      etag: older.s3.object.eTag,
      size: 1,
      sequencer: normaliseSequencer(older.s3.object.sequencer),
    })
    expect(read).toEqual({ superseded: true })
  })

  it('never writes an older result over a newer one, nor resurrects a deleted item', async () => {
    const records = dynamoPhotoRecords(db, blog.PhotosTableName ?? '')
    const key = `photos/trip/${randomUUID()}.jpg`
    await addPending(key)
    const result = (sequencer: string) =>
      ({
        status: 'failed',
        etag: 'e',
        sourceSequencer: normaliseSequencer(sequencer),
        processedAt: new Date().toISOString(),
        reason: 'truncated',
        reasonDetail: 'cut',
        size: 1,
      }) as const
    expect(await records.save(key, result('0B'))).toBe('saved')
    expect(await records.save(key, result('0A'))).toBe('superseded')
    expect(await records.save(key, result('0B'))).toBe('saved')
    expect(await records.save(`photos/trip/${randomUUID()}.jpg`, result('0C'))).toBe('missing')
    expect(await records.get(key)).toMatchObject({ sourceSequencer: normaliseSequencer('0B') })
  })
})
