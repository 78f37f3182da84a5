import { encodeS3EventKey, MalformedMessageError, parsePhotoUploadMessage } from '@app/domain/photos'
import { defaultLimits } from '@app/images'
import { photo } from '@app/images/fixtures'
import { lambdaContext, sqsEvent, sqsRecord } from '@app/runtime/testing'
import type { SQSEvent } from 'aws-lambda'
import { beforeEach, describe, expect, it } from 'vitest'
import { sharpImaging } from '../../adapters/imaging'
import type { PhotoUpload } from '../../ports'
import { memoryRecords, memoryStore, memoryUploads, pendingItem, UPLOADS } from '../../testing/fakes'
import { type MakeThumbnailsConsumer, makeThumbnailsConsumer } from './consumer'

const s3Event = (upload: PhotoUpload, eventName = 'ObjectCreated:Put') => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-11-22T10:00:00.000Z',
      eventName,
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'photos',
        bucket: { name: upload.bucket, arn: `arn:aws:s3:::${upload.bucket}` },
        object: {
          key: encodeS3EventKey(upload.key),
          size: upload.size,
          eTag: upload.etag,
          sequencer: upload.sequencer.replace(/^0+/, ''),
        },
      },
    },
  ],
})

const envelope = (message: unknown) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'm',
    TopicArn: 'arn:aws:sns:us-east-1:1:t',
    Message: JSON.stringify(message),
  })

describe('parsePhotoUploadMessage (the SQS body of the uploads topic)', () => {
  it('reads an S3 event inside the SNS envelope and decodes the key', async () => {
    const uploads = memoryUploads()
    const upload = uploads.put('photos/my trip/été + 東京.jpg', Buffer.from('x'))
    expect(parsePhotoUploadMessage(envelope(s3Event(upload)))).toEqual([upload])
  })

  it('reads raw delivery too, and ignores S3’s test event', () => {
    const upload = memoryUploads().put('photos/a.jpg', Buffer.from('x'))
    expect(parsePhotoUploadMessage(JSON.stringify(s3Event(upload)))).toEqual([upload])
    expect(parsePhotoUploadMessage(envelope({ Service: 'Amazon S3', Event: 's3:TestEvent' }))).toEqual([])
  })

  it.each([
    ['not JSON', 'hello'],
    ['an envelope around non-JSON', JSON.stringify({ Type: 'Notification', Message: '<xml/>' })],
    [
      'another event type',
      JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete' }] }),
    ],
    ['a broken key escape', null],
  ])('refuses %s as malformed', (_name, body) => {
    const upload = memoryUploads().put('photos/a.jpg', Buffer.from('x'))
    const broken = s3Event(upload)
    broken.Records[0]!.s3.object.key = 'photos/%E0%A4%A.jpg'
    expect(() => parsePhotoUploadMessage(body ?? JSON.stringify(broken))).toThrow(MalformedMessageError)
  })
})

describe('makeThumbnailsConsumer', () => {
  let uploads: ReturnType<typeof memoryUploads>
  let records: ReturnType<typeof memoryRecords>
  let store: ReturnType<typeof memoryStore>
  let handler: MakeThumbnailsConsumer
  const context = lambdaContext('makeThumbnails')

  beforeEach(() => {
    uploads = memoryUploads()
    records = memoryRecords()
    store = memoryStore()
    handler = makeThumbnailsConsumer({
      source: uploads.source,
      store,
      records,
      imaging: sharpImaging(defaultLimits),
      clock: { now: () => new Date() },
      settings: { widths: [64], format: 'jpeg', quality: 80, maxInputBytes: 1_000_000 },
      uploadsBucket: UPLOADS,
      maxReceiveCount: 3,
    })
  })

  const event = (...bodies: string[]): SQSEvent => sqsEvent(bodies.map((body) => sqsRecord(body)))

  it('reports only the records that may succeed on retry', async () => {
    const good = uploads.put('photos/good.jpg', await photo(200, 100))
    const bad = uploads.put('photos/bad.jpg', Buffer.from('not an image'))
    const flaky = uploads.put('photos/flaky.jpg', await photo(200, 100))
    for (const key of ['photos/good.jpg', 'photos/bad.jpg', 'photos/flaky.jpg'])
      records.items.set(key, pendingItem(key))
    const input = event(envelope(s3Event(good)), envelope(s3Event(bad)), envelope(s3Event(flaky)), 'garbage')
    // The first put (good's) succeeds, flaky's put hits a transient error.
    const originalPut = store.put
    store.put = async (object) => {
      if (object.key.startsWith('flaky.jpg')) throw new Error('SlowDown')
      return originalPut(object)
    }
    const response = await handler(input, context)
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: input.Records[2]!.messageId }])
    expect(records.items.get('photos/good.jpg')?.status).toBe('ready')
    expect(records.items.get('photos/bad.jpg')).toMatchObject({ status: 'failed', reason: 'not-an-image' })
    expect(records.items.get('photos/flaky.jpg')?.status).toBe('pending')
  })

  it('ignores events of another bucket (the function may read no other)', async () => {
    const upload = { ...uploads.put('photos/a.jpg', await photo(10, 10)), bucket: 'someone-elses' }
    records.items.set('photos/a.jpg', pendingItem('photos/a.jpg'))
    expect((await handler(event(envelope(s3Event(upload))), context)).batchItemFailures).toEqual([])
    expect(uploads.source.reads).toBe(0)
  })
})
