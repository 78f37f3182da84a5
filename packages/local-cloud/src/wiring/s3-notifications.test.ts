import type { EventEmitter } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import type { SQSEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bucketNotificationRules,
  encodeEventKey,
  LocalQueue,
  LocalTopic,
  matchesRule,
  notificationRulesOf,
  routeS3Notifications,
  type S3EventRecord,
  sequencerSource,
} from './s3-notifications'

const uploadsBucket = {
  Type: 'AWS::S3::Bucket',
  Properties: {
    BucketName: 'blog-site-test-uploads',
    NotificationConfiguration: {
      TopicConfigurations: [
        {
          Event: 's3:ObjectCreated:*',
          Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'photos/' }] } },
          Topic: { Ref: 'PhotoUploadedTopic' },
        },
      ],
      QueueConfigurations: [
        {
          Id: 'pdfs',
          Event: 's3:ObjectRemoved:Delete',
          Filter: { S3Key: { Rules: [{ Name: 'Suffix', Value: '.pdf' }] } },
          Queue: 'arn:aws:sqs:us-east-1:000000000000:pdfs',
        },
      ],
    },
  },
}

describe('notification rules from a template', () => {
  it('reads every destination kind with its filter and destination as written', () => {
    expect(bucketNotificationRules(uploadsBucket)).toEqual([
      {
        event: 's3:ObjectCreated:*',
        prefix: 'photos/',
        kind: 'topic',
        destination: { Ref: 'PhotoUploadedTopic' },
      },
      {
        id: 'pdfs',
        event: 's3:ObjectRemoved:Delete',
        suffix: '.pdf',
        kind: 'queue',
        destination: 'arn:aws:sqs:us-east-1:000000000000:pdfs',
      },
    ])
    expect(notificationRulesOf({ UploadsBucket: uploadsBucket }, 'other-bucket')).toEqual([])
    expect(notificationRulesOf({ UploadsBucket: uploadsBucket }, 'blog-site-test-uploads')).toHaveLength(2)
  })

  it('matches event types, prefix and suffix like S3', () => {
    const [photos, pdfs] = bucketNotificationRules(uploadsBucket) as [never, never]
    expect(matchesRule(photos, 'ObjectCreated:Put', 'photos/a.jpg')).toBe(true)
    expect(matchesRule(photos, 'ObjectCreated:CompleteMultipartUpload', 'photos/a.jpg')).toBe(true)
    expect(matchesRule(photos, 'ObjectRemoved:Delete', 'photos/a.jpg')).toBe(false)
    expect(matchesRule(photos, 'ObjectCreated:Put', 'thumbs/photos/a.jpg')).toBe(false)
    expect(matchesRule(pdfs, 'ObjectRemoved:Delete', 'x/a.pdf')).toBe(true)
    expect(matchesRule(pdfs, 'ObjectRemoved:DeleteMarkerCreated', 'x/a.pdf')).toBe(false)
  })
})

describe('event records', () => {
  it('URL-encodes keys as S3 does', () => {
    expect(encodeEventKey('photos/my trip/été (1)+x.jpg')).toBe(
      'photos/my+trip/%C3%A9t%C3%A9+%281%29%2Bx.jpg',
    )
  })

  it('hands out increasing sequencers even within one millisecond', () => {
    const next = sequencerSource(() => 1_700_000_000_000)
    const [a, b, c] = [next(), next(), next()]
    expect(a < b && b < c).toBe(true)
    expect(a).toHaveLength(16)
  })
})

describe('routing s3rver events through SNS and SQS', () => {
  let s3rver: EventEmitter & { run(): Promise<{ port: number }>; close(): Promise<void> }
  let directory: string
  let s3: S3Client

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 's3-notifications-'))
    const S3rver = createRequire(import.meta.url)('s3rver')
    s3rver = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory,
      configureBuckets: [{ name: 'blog-site-test-uploads' }],
      allowMismatchedSignatures: true,
    })
    const { port } = await s3rver.run()
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-west-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    })
  })

  afterAll(async () => {
    s3.destroy()
    await s3rver.close()
    rmSync(directory, { recursive: true, force: true })
  })

  const wire = (options: { maxReceiveCount: number; batchSize?: number; rawMessageDelivery?: boolean }) => {
    const topic = new LocalTopic('arn:aws:sns:eu-west-1:000000000000:blog-site-test-photo-uploaded')
    const queue = new LocalQueue({
      name: 'thumbnailer-test-photos',
      region: 'eu-west-1',
      maxReceiveCount: options.maxReceiveCount,
      batchSize: options.batchSize ?? 10,
      reportBatchItemFailures: true,
      retryDelayMs: 1,
    })
    topic.subscribe({ queue, rawMessageDelivery: options.rawMessageDelivery ?? false })
    const stop = routeS3Notifications({
      events: s3rver,
      region: 'eu-west-1',
      routes: [
        {
          bucket: 'blog-site-test-uploads',
          rules: bucketNotificationRules(uploadsBucket).filter((rule) => rule.kind === 'topic'),
          deliver: (event) => topic.publish(JSON.stringify(event), 'Amazon S3 Notification'),
        },
      ],
    })
    return { topic, queue, stop }
  }

  const put = (Key: string, Body = `content of ${Key}`) =>
    s3.send(new PutObjectCommand({ Bucket: 'blog-site-test-uploads', Key, Body }))

  const s3RecordOf = (body: string): S3EventRecord => {
    const envelope = JSON.parse(body)
    return JSON.parse(envelope.Message).Records[0]
  }

  it('delivers matching object-created events as SQS records carrying the SNS envelope', async () => {
    const { queue, stop } = wire({ maxReceiveCount: 3 })
    const batches: SQSEvent[] = []
    queue.consume(async (event) => {
      batches.push(event)
    })
    await put('photos/my trip/été 1.jpg')
    await put('drafts/ignored.jpg')
    await queue.idle()
    stop()
    const records = batches.flatMap((batch) => batch.Records)
    expect(records).toHaveLength(1)
    const [record] = records as [SQSEvent['Records'][number]]
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:000000000000:thumbnailer-test-photos',
      attributes: { ApproximateReceiveCount: '1' },
    })
    const envelope = JSON.parse(record.body)
    expect(envelope).toMatchObject({
      Type: 'Notification',
      TopicArn: expect.stringContaining('photo-uploaded'),
    })
    const s3Record = s3RecordOf(record.body)
    expect(s3Record).toMatchObject({
      eventName: 'ObjectCreated:Put',
      awsRegion: 'eu-west-1',
      s3: {
        bucket: { name: 'blog-site-test-uploads', arn: 'arn:aws:s3:::blog-site-test-uploads' },
        object: {
          key: 'photos/my+trip/%C3%A9t%C3%A9+1.jpg',
          size: Buffer.byteLength('content of photos/my trip/été 1.jpg'),
        },
      },
    })
    expect(s3Record.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/)
  })

  it('delivers the bare S3 event with raw message delivery', async () => {
    const { queue, stop } = wire({ maxReceiveCount: 3, rawMessageDelivery: true })
    const bodies: string[] = []
    queue.consume(async (event) => {
      bodies.push(...event.Records.map((record) => record.body))
    })
    await put('photos/raw.jpg')
    await queue.idle()
    stop()
    expect(JSON.parse(bodies[0]!).Records[0].s3.object.key).toBe('photos/raw.jpg')
  })

  it('retries only the reported failures, with new receipt handles, then dead-letters them', async () => {
    const { queue, stop } = wire({ maxReceiveCount: 3 })
    const receipts: Record<string, string[]> = {}
    queue.consume(async (event) => {
      for (const record of event.Records) {
        const key = s3RecordOf(record.body).s3.object.key
        receipts[key] ??= []
        receipts[key].push(record.receiptHandle)
        expect(record.attributes.ApproximateReceiveCount).toBe(String(receipts[key].length))
      }
      const failing = event.Records.filter((record) => s3RecordOf(record.body).s3.object.key.includes('bad'))
      return { batchItemFailures: failing.map((record) => ({ itemIdentifier: record.messageId })) }
    })
    await put('photos/good.jpg')
    await put('photos/bad.jpg')
    await queue.idle()
    stop()
    expect(receipts['photos/good.jpg']).toHaveLength(1)
    expect(receipts['photos/bad.jpg']).toHaveLength(3)
    expect(new Set(receipts['photos/bad.jpg']).size).toBe(3)
    expect(queue.deadLetters).toHaveLength(1)
    expect(s3RecordOf(queue.deadLetters[0]!.body).s3.object.key).toBe('photos/bad.jpg')
    expect(queue.deadLetters[0]).toMatchObject({ receiveCount: 3 })
  })

  it('retries a whole batch when the handler throws, and gives increasing sequencers per key', async () => {
    const { queue, stop } = wire({ maxReceiveCount: 5 })
    let calls = 0
    const sequencerByEtag = new Map<string, string>()
    queue.consume(async (event) => {
      calls++
      if (calls === 1) throw new Error('cold start crashed')
      for (const record of event.Records) {
        const { eTag, sequencer } = s3RecordOf(record.body).s3.object
        sequencerByEtag.set(String(eTag), sequencer)
      }
    })
    const first = await put('photos/same.jpg', 'first version')
    const second = await put('photos/same.jpg', 'second version')
    await queue.idle()
    stop()
    expect(calls).toBeGreaterThan(1)
    expect(queue.deadLetters).toHaveLength(0)
    const [a, b] = [first, second].map((output) =>
      sequencerByEtag.get(String(output.ETag).replaceAll('"', '')),
    )
    expect(a! < b!).toBe(true)
  })
})
