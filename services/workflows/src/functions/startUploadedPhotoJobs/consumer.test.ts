import { ConflictError } from '@app/domain'
import { START_FAILED } from '@app/domain/jobs'
import { encodeS3EventKey, normaliseSequencer } from '@app/domain/photos'
import { lambdaContext, sqsEvent, sqsRecord } from '@app/runtime/testing'
import type { SQSRecord } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { memoryJobPorts } from '../../testing/fakes'
import { UPLOAD_JOB_OWNER } from '../../use-cases/photo-uploads'
import { createConsumer } from './consumer'

const UPLOADS = 'blog-site-test-uploads'

interface Upload {
  bucket?: string
  key: string
  etag?: string
  sequencer?: string
}

/** An S3 event as blog-site's bucket sends it (key URL-encoded, ETag and sequencer as S3 writes them). */
const s3Event = ({
  bucket = UPLOADS,
  key,
  etag = 'd41d8cd98f00b204e9800998ecf8427e',
  sequencer = '0066A1B2C3',
}: Upload) => ({
  Records: [
    {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-12-01T10:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'photos',
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: encodeS3EventKey(key), size: 1234, eTag: etag, sequencer },
      },
    },
  ],
})

/** The subscription keeps the SNS envelope (RawMessageDelivery: false). */
const envelope = (message: unknown) =>
  JSON.stringify({
    Type: 'Notification',
    MessageId: 'm',
    TopicArn: 'arn:aws:sns:us-east-1:1:blog-site-test-photo-uploaded',
    Message: JSON.stringify(message),
  })

const QUEUE = 'arn:aws:sqs:us-east-1:1:workflows-test-photo-uploads'
const message = (body: string) => sqsRecord(body, { queueArn: QUEUE })

const setup = (options: Parameters<typeof memoryJobPorts>[0] = {}) => {
  const fakes = memoryJobPorts(options)
  const handler = createConsumer(fakes.ports, { uploadsBucket: UPLOADS })
  return {
    ...fakes,
    handle: (...records: SQSRecord[]) => handler(sqsEvent(records), lambdaContext('startUploadedPhotoJobs')),
  }
}

describe('startUploadedPhotoJobs', () => {
  it('starts the photo pipeline on the uploaded photo, its key decoded, as the uploads owner', async () => {
    const { handle, started, items } = setup()
    const result = await handle(message(envelope(s3Event({ key: 'photos/my post/été.jpg' }))))
    expect(result.batchItemFailures).toEqual([])
    expect(started).toHaveLength(1)
    const [execution] = started
    expect(execution).toMatchObject({
      workflow: 'photo',
      input: {
        jobId: execution?.name,
        owner: UPLOAD_JOB_OWNER,
        source: { bucket: UPLOADS, key: 'photos/my post/été.jpg' },
      },
    })
    expect(items.get(execution!.name)).toMatchObject({
      status: 'RUNNING',
      owner: UPLOAD_JOB_OWNER,
      origin: {
        bucket: UPLOADS,
        key: 'photos/my post/été.jpg',
        etag: 'd41d8cd98f00b204e9800998ecf8427e',
        sequencer: normaliseSequencer('0066A1B2C3'),
      },
    })
  })

  it('starts nothing twice for a duplicate delivery, in one batch or later, raw or enveloped', async () => {
    const { handle, started } = setup()
    const event = s3Event({ key: 'photos/a.jpg' })
    await handle(message(envelope(event)), message(envelope(event)))
    const later = await handle(message(JSON.stringify(event)))
    expect(later.batchItemFailures).toEqual([])
    expect(started).toHaveLength(1)
  })

  it('runs again for a new upload of the same key (another sequencer), even with the same bytes', async () => {
    const { handle, started } = setup()
    await handle(message(envelope(s3Event({ key: 'photos/a.jpg', sequencer: '0066A1B2C3' }))))
    await handle(message(envelope(s3Event({ key: 'photos/a.jpg', sequencer: '0066A1B2D4' }))))
    expect(new Set(started.map((execution) => execution.name)).size).toBe(2)
  })

  it('names the job from the normalised sequencer (leading zeros do not make a new job)', async () => {
    const { handle, started } = setup()
    await handle(message(envelope(s3Event({ key: 'photos/a.jpg', sequencer: '66A1B2C3' }))))
    await handle(
      message(envelope(s3Event({ key: 'photos/a.jpg', sequencer: normaliseSequencer('66a1b2c3') }))),
    )
    expect(started).toHaveLength(1)
  })

  it('reports only the record whose start failed; its retry starts it once', async () => {
    const { handle, started, items } = setup({ startFailures: 1 })
    const failing = message(envelope(s3Event({ key: 'photos/first.jpg' })))
    const fine = message(envelope(s3Event({ key: 'photos/second.jpg' })))
    const result = await handle(failing, fine)
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: failing.messageId }])
    expect(started.map((execution) => (execution.input as { source: { key: string } }).source.key)).toEqual([
      'photos/second.jpg',
    ])
    const [failedJob] = [...items.values()].filter((item) => item.error?.name === START_FAILED)
    expect(failedJob?.status).toBe('FAILED')

    expect((await handle(failing)).batchItemFailures).toEqual([])
    expect(started).toHaveLength(2)
    expect(items.get(failedJob!.jobId)).toMatchObject({ status: 'RUNNING', executionArn: expect.any(String) })
  })

  it('drops what no retry can fix: malformed messages, other buckets, keys the pipeline refuses', async () => {
    const { handle, started } = setup()
    const undecodableKey = s3Event({ key: 'photos/x.jpg' })
    undecodableKey.Records[0]!.s3.object.key = 'photos/%E0%A4%A.jpg'
    const result = await handle(
      message('not json'),
      message(envelope({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete' }] })),
      message(envelope({ Service: 'Amazon S3', Event: 's3:TestEvent' })),
      message(envelope(undecodableKey)),
      message(envelope(s3Event({ bucket: 'someone-elses', key: 'photos/a.jpg' }))),
      message(envelope(s3Event({ key: 'photos/../secrets.jpg' }))),
    )
    expect(result.batchItemFailures).toEqual([])
    expect(started).toEqual([])
  })

  it('drops an upload whose job id is taken by another job (a retry would conflict again)', async () => {
    const { handle, started, ports } = setup()
    ports.jobs.get = async (jobId) => ({ jobId, owner: 'someone', workflow: 'photo', status: 'RUNNING' })
    ports.jobs.create = async () => {
      throw new ConflictError('exists')
    }
    const result = await handle(message(envelope(s3Event({ key: 'photos/a.jpg' }))))
    expect(result.batchItemFailures).toEqual([])
    expect(started).toEqual([])
  })
})
