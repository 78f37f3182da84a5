/**
 * Local S3 bucket notifications, as AWS delivers them: s3rver's in-process object events are
 * turned into the records real S3 sends (keys URL-encoded, increasing sequencers, proper ARNs),
 * filtered by the bucket's `NotificationConfiguration` from the service's own template (events,
 * prefix, suffix: never retyped), and handed to a destination. For the S3 → SNS → SQS → Lambda
 * fan-out, `LocalTopic` wraps a message in the SNS envelope (or not: raw delivery) and `LocalQueue`
 * turns it into SQS records with receipt handles and receive counts, honours
 * `ReportBatchItemFailures`, redelivers failed messages up to `maxReceiveCount`, then moves them to
 * a dead-letter list.
 *
 * Simplifications, on purpose: visibility timeouts are not waited out (a failed message is
 * retried after `retryDelayMs`), batches are not held for a batching window, and there is no
 * concurrency (one batch at a time per queue, which is also what makes local runs deterministic).
 */
import { createHash, randomUUID } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import type { CfnResource } from '@app/cloudformation'
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'

export const LOCAL_ACCOUNT_ID = '000000000000'

// ---------------------------------------------------------------------------------------------
// Notification configuration, from the template

export type DestinationKind = 'topic' | 'queue' | 'function'

/** One entry of a bucket's `NotificationConfiguration`, with its destination left as written. */
export interface NotificationRule {
  readonly id?: string
  /** As in the template: `s3:ObjectCreated:*`, `s3:ObjectCreated:Put`, `s3:ObjectRemoved:*`... */
  readonly event: string
  readonly prefix?: string
  readonly suffix?: string
  readonly kind: DestinationKind
  /** The template's value (`{ Ref: PhotoUploadedTopic }`, an ARN string...): compare, never guess. */
  readonly destination: unknown
}

const configurationKeys: readonly [string, string, DestinationKind][] = [
  ['TopicConfigurations', 'Topic', 'topic'],
  ['QueueConfigurations', 'Queue', 'queue'],
  ['LambdaConfigurations', 'Function', 'function'],
]

const asRecord = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}

/** The rules of one `AWS::S3::Bucket` resource (an empty list if it has none). */
export const bucketNotificationRules = (bucket: CfnResource): NotificationRule[] => {
  const configuration = asRecord(bucket.Properties?.NotificationConfiguration)
  return configurationKeys.flatMap(([listKey, destinationKey, kind]) => {
    const list = configuration[listKey]
    return (Array.isArray(list) ? list : []).map((entry): NotificationRule => {
      const item = asRecord(entry)
      const filterRules = asRecord(asRecord(item.Filter).S3Key).Rules
      const rule = (name: string) =>
        (Array.isArray(filterRules) ? filterRules : [])
          .map(asRecord)
          .find((candidate) => String(candidate.Name).toLowerCase() === name)?.Value
      const prefix = rule('prefix')
      const suffix = rule('suffix')
      return {
        ...(typeof item.Id === 'string' ? { id: item.Id } : {}),
        event: String(item.Event),
        ...(typeof prefix === 'string' ? { prefix } : {}),
        ...(typeof suffix === 'string' ? { suffix } : {}),
        kind,
        destination: item[destinationKey],
      }
    })
  })
}

/** The rules of the bucket named `bucketName` among `resources` (by its `BucketName`). */
export const notificationRulesOf = (
  resources: Readonly<Record<string, CfnResource>>,
  bucketName: string,
): NotificationRule[] => {
  const bucket = Object.values(resources).find(
    (resource) => resource.Type === 'AWS::S3::Bucket' && resource.Properties?.BucketName === bucketName,
  )
  return bucket ? bucketNotificationRules(bucket) : []
}

/** S3's event-type matching: `s3:ObjectCreated:*` covers `ObjectCreated:Put`, `:Copy`, ... */
export const matchesEvent = (pattern: string, eventName: string): boolean => {
  const wanted = pattern.replace(/^s3:/, '')
  return wanted.endsWith(':*') ? eventName.startsWith(wanted.slice(0, -1)) : eventName === wanted
}

/** Prefix and suffix compare against the object key as stored (not URL-encoded). */
export const matchesRule = (rule: NotificationRule, eventName: string, key: string): boolean =>
  matchesEvent(rule.event, eventName) &&
  (rule.prefix === undefined || key.startsWith(rule.prefix)) &&
  (rule.suffix === undefined || key.endsWith(rule.suffix))

// ---------------------------------------------------------------------------------------------
// Event records, as real S3 writes them

/**
 * Object keys in S3 event records are form-URL-encoded (space as `+`; Java's URLEncoder
 * alphabet, with `/` left readable): `photos/a b/é.jpg` → `photos/a+b/%C3%A9.jpg`.
 */
export const encodeEventKey = (key: string): string =>
  encodeURIComponent(key)
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+')
    .replaceAll('%2F', '/')

export interface S3EventRecord {
  eventVersion: string
  eventSource: 'aws:s3'
  awsRegion: string
  eventTime: string
  eventName: string
  s3: {
    s3SchemaVersion: string
    configurationId: string
    bucket: { name: string; arn: string; ownerIdentity?: unknown }
    object: { key: string; size?: number; eTag?: string; sequencer: string; versionId?: string }
  }
  [field: string]: unknown
}

/**
 * S3 sequencers only need to increase per key; s3rver uses `Date.now()` in hex, which repeats
 * within a millisecond. This one is the time in ms, bumped past the last value handed out.
 */
export const sequencerSource = (now: () => number = Date.now) => {
  let last = 0n
  return (): string => {
    const time = BigInt(now()) << 16n
    last = time > last ? time : last + 1n
    return last.toString(16).toUpperCase().padStart(16, '0')
  }
}

/** Rewrites one s3rver record into what S3 would send for `rule` (raw key in, encoded key out). */
export const toS3EventRecord = (
  record: S3EventRecord,
  options: { region: string; configurationId: string; sequencer: string },
): S3EventRecord => ({
  ...record,
  awsRegion: options.region,
  s3: {
    ...record.s3,
    configurationId: options.configurationId,
    bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${record.s3.bucket.name}` },
    object: { ...record.s3.object, key: encodeEventKey(record.s3.object.key), sequencer: options.sequencer },
  },
})

// ---------------------------------------------------------------------------------------------
// SQS, in process

/** A Lambda handler for SQS: may report `batchItemFailures`, or return nothing (all succeeded). */
export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | undefined> | Promise<void>

export interface LocalQueueOptions {
  readonly name: string
  readonly region: string
  /** From the queue's `RedrivePolicy`: deliveries before a message goes to the dead-letter list. */
  readonly maxReceiveCount: number
  /** From the event source mapping. */
  readonly batchSize: number
  /** From the event source mapping (`functionResponseType: ReportBatchItemFailures`). */
  readonly reportBatchItemFailures: boolean
  /** Stands in for the visibility timeout: how long a failed message stays invisible. */
  readonly retryDelayMs?: number
  readonly log?: (message: string) => void
}

interface StoredMessage {
  readonly messageId: string
  readonly body: string
  readonly sentAt: number
  receiveCount: number
  firstReceivedAt?: number
  visibleAt: number
}

export interface DeadLetter {
  readonly messageId: string
  readonly body: string
  readonly receiveCount: number
  /** Why the last delivery failed, for the developer reading the dead-letter list. */
  readonly lastError: string
}

/**
 * An SQS queue with one Lambda consumer. `send` enqueues; the queue polls itself and delivers
 * batches to the handler; `idle()` resolves once nothing is queued, in flight or awaiting a retry.
 */
export class LocalQueue {
  readonly arn: string
  readonly deadLetters: DeadLetter[] = []
  private readonly messages: StoredMessage[] = []
  private handler: QueueHandler | undefined
  private running = false
  private timer: NodeJS.Timeout | undefined
  private closed = false
  private idleWaiters: (() => void)[] = []

  constructor(private readonly options: LocalQueueOptions) {
    this.arn = `arn:aws:sqs:${options.region}:${LOCAL_ACCOUNT_ID}:${options.name}`
  }

  /** Attaches the consumer (the event source mapping). */
  consume(handler: QueueHandler): void {
    this.handler = handler
    this.schedule(0)
  }

  send(body: string): string {
    if (this.closed) throw new Error(`queue ${this.options.name} is closed`)
    const messageId = randomUUID()
    this.messages.push({ messageId, body, sentAt: Date.now(), receiveCount: 0, visibleAt: 0 })
    this.schedule(0)
    return messageId
  }

  /** Messages waiting (visible or not), not counting dead letters. */
  get depth(): number {
    return this.messages.length
  }

  /** Resolves when the queue is empty and no batch is running. */
  idle(): Promise<void> {
    if (!this.running && this.messages.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Stops polling; queued messages are dropped (as a deleted stack would). */
  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.messages.length = 0
    while (this.running) await new Promise((resolve) => setTimeout(resolve, 5))
    this.notifyIdle()
  }

  private schedule(delayMs: number): void {
    if (this.closed || !this.handler || this.running) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.poll(), delayMs)
  }

  private notifyIdle(): void {
    if (this.running || this.messages.length > 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  private toRecord(message: StoredMessage, now: number): SQSRecord {
    return {
      messageId: message.messageId,
      // A new handle per receive, as SQS does: deleting with an old one is how bugs hide.
      receiptHandle: Buffer.from(`${message.messageId}:${message.receiveCount}:${randomUUID()}`).toString(
        'base64',
      ),
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: LOCAL_ACCOUNT_ID,
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? now),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: this.options.region,
    }
  }

  private async poll(): Promise<void> {
    if (this.closed || !this.handler || this.running) return
    const now = Date.now()
    const batch = this.messages.filter((message) => message.visibleAt <= now).slice(0, this.options.batchSize)
    if (batch.length === 0) {
      const next = Math.min(...this.messages.map((message) => message.visibleAt))
      if (Number.isFinite(next)) this.schedule(Math.max(1, next - now))
      else this.notifyIdle()
      return
    }
    this.running = true
    for (const message of batch) {
      message.receiveCount++
      message.firstReceivedAt ??= now
      // In flight: invisible until the handler returns (the visibility timeout, simplified).
      message.visibleAt = Number.POSITIVE_INFINITY
    }
    const records = batch.map((message) => this.toRecord(message, now))
    let failed: Set<string>
    let lastError = ''
    try {
      const response = (await this.handler({ Records: records })) as SQSBatchResponse | undefined
      failed = new Set(
        this.options.reportBatchItemFailures
          ? (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier)
          : [],
      )
      if (failed.size) lastError = 'reported in batchItemFailures'
    } catch (error) {
      // The whole batch failed: every message comes back.
      failed = new Set(batch.map((message) => message.messageId))
      lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
      this.options.log?.(
        `queue ${this.options.name}: handler threw (${lastError}); batch of ${batch.length} retried`,
      )
    }
    for (const message of batch) {
      const index = this.messages.indexOf(message)
      if (!failed.has(message.messageId)) {
        this.messages.splice(index, 1)
      } else if (message.receiveCount >= this.options.maxReceiveCount) {
        this.messages.splice(index, 1)
        this.deadLetters.push({
          messageId: message.messageId,
          body: message.body,
          receiveCount: message.receiveCount,
          lastError,
        })
        this.options.log?.(
          `queue ${this.options.name}: message ${message.messageId} dead-lettered after ${message.receiveCount} receives`,
        )
      } else {
        message.visibleAt = Date.now() + (this.options.retryDelayMs ?? 50)
      }
    }
    this.running = false
    if (this.messages.length > 0) this.schedule(0)
    else this.notifyIdle()
  }
}

// ---------------------------------------------------------------------------------------------
// SNS, in process

export interface TopicSubscription {
  /** `RawMessageDelivery` of the subscription: the message alone, without the SNS envelope. */
  readonly rawMessageDelivery: boolean
  readonly queue: LocalQueue
  /**
   * Asked before each delivery, as SNS is authorized by the queue's policy: false drops the message
   * (what SNS does with a delivery the queue refuses, short of a subscription DLQ). None: always delivered.
   */
  readonly admit?: () => Promise<boolean>
}

/** An SNS topic fanning out to SQS queues, with the JSON envelope SNS wraps messages in. */
export class LocalTopic {
  private readonly subscriptions: TopicSubscription[] = []

  constructor(readonly arn: string) {}

  subscribe(subscription: TopicSubscription): () => void {
    this.subscriptions.push(subscription)
    return () => {
      const index = this.subscriptions.indexOf(subscription)
      if (index >= 0) this.subscriptions.splice(index, 1)
    }
  }

  publish(message: string, subject?: string): string {
    const messageId = randomUUID()
    const envelope = JSON.stringify({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: this.arn,
      ...(subject ? { Subject: subject } : {}),
      Message: message,
      Timestamp: new Date().toISOString(),
      SignatureVersion: '1',
      // Locally nothing is signed; consumers must not verify SQS-delivered envelopes anyway.
      Signature: 'local',
      SigningCertURL: 'https://sns.local/cert.pem',
      UnsubscribeURL: `https://sns.local/?Action=Unsubscribe&SubscriptionArn=${this.arn}:local`,
    })
    for (const { rawMessageDelivery, queue, admit } of this.subscriptions) {
      const body = rawMessageDelivery ? message : envelope
      if (!admit) queue.send(body)
      else
        void admit().then(
          (admitted) => {
            if (admitted) queue.send(body)
          },
          // The admission check failing is the local cloud's fault, never a reason to deliver.
          (error: Error) => console.error(`SNS ${this.arn}: delivery check failed: ${error.message}`),
        )
    }
    return messageId
  }
}

// ---------------------------------------------------------------------------------------------
// The router

export interface S3NotificationRoute {
  /** Physical bucket name (s3rver's bucket). */
  readonly bucket: string
  /** The rules to honour for this destination (usually `notificationRulesOf(...)`, filtered). */
  readonly rules: readonly NotificationRule[]
  /** Receives the S3 event (`{ Records: [record] }`) as S3 would send it to the destination. */
  readonly deliver: (event: { Records: S3EventRecord[] }) => void
}

export interface S3NotificationRouterOptions {
  /** s3rver's emitter (`LocalCloud.s3Events`). */
  readonly events: EventEmitter
  readonly region: string
  readonly routes: readonly S3NotificationRoute[]
  readonly log?: (message: string) => void
}

/** Starts routing s3rver events; returns the function that stops it. */
export const routeS3Notifications = ({
  events,
  region,
  routes,
  log,
}: S3NotificationRouterOptions): (() => void) => {
  const nextSequencer = sequencerSource()
  const listener = (event: { Records?: S3EventRecord[] }) => {
    for (const record of event.Records ?? []) {
      const bucket = record.s3?.bucket?.name
      const key = record.s3?.object?.key
      if (typeof bucket !== 'string' || typeof key !== 'string') continue
      const sequencer = nextSequencer()
      for (const route of routes) {
        if (route.bucket !== bucket) continue
        const rule = route.rules.find((candidate) => matchesRule(candidate, record.eventName, key))
        if (!rule) continue
        const rewritten = toS3EventRecord(record, {
          region,
          configurationId: rule.id ?? 'local-notification',
          sequencer,
        })
        log?.(`s3 ${record.eventName} ${bucket}/${key} -> ${rule.kind}`)
        route.deliver({ Records: [rewritten] })
      }
    }
  }
  events.on('event', listener)
  return () => {
    events.off('event', listener)
  }
}
