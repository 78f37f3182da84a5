/**
 * A local DynamoDB Streams event source mapping: reads the real DynamoDB Local stream
 * (DescribeStream / GetShardIterator / GetRecords), applies the function's event filter, batches,
 * and invokes the same handler the Lambda runs with a real `DynamoDBStreamEvent`. It keeps the
 * mapping's failure semantics, because they are what exactly-once code is written against:
 * - `batchItemFailures` (ReportBatchItemFailures): retry from the first failed sequence number;
 * - a thrown error: the whole batch failed; with `bisectBatchOnFunctionError` it is split in halves;
 * - `maximumRetryAttempts` / `maximumRecordAgeInSeconds`: then the batch goes to the on-failure
 *   destination, emulated as the message Lambda would send there (logged and kept in `failures`);
 * - shard lineage: a child shard is read only after its parent is exhausted, as Lambda does.
 * One reader per shard, one batch in flight per shard (ParallelizationFactor 1).
 */
import { randomUUID } from 'node:crypto'
import { type CfnResource, resolveIntrinsics, UnresolvableError } from '@app/cloudformation'
import {
  type AttributeValue,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as SdkStreamRecord,
  type Shard,
  type ShardIteratorType,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams'
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  AttributeValue as LambdaAttributeValue,
} from 'aws-lambda'
import { withTemplateOnlyIdentifiers } from '../template/identifiers'
import type { PrintedService } from '../template/print'

export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => // biome-ignore lint/suspicious/noConfusingVoidType: a Lambda handler may return a batch response or nothing (void).
Promise<DynamoDBBatchResponse | undefined | void>

/** The settings of a `stream` event in serverless.yml that change how records reach the handler. */
export interface StreamEventSettings {
  batchSize: number
  startingPosition: 'LATEST' | 'TRIM_HORIZON'
  /** Lambda event filtering: a record is delivered when it matches any pattern (none: all records). */
  filterPatterns: readonly FilterPattern[]
  /** -1: until the record expires, as in AWS. */
  maximumRetryAttempts: number
  /** -1: no limit, as in AWS. */
  maximumRecordAgeInSeconds: number
  bisectBatchOnFunctionError: boolean
  /** Without `ReportBatchItemFailures`, a returned `batchItemFailures` is ignored, as in AWS. */
  reportBatchItemFailures: boolean
}

/** AWS's defaults for a DynamoDB stream event source mapping. */
export const defaultStreamEventSettings: StreamEventSettings = {
  batchSize: 100,
  startingPosition: 'TRIM_HORIZON',
  filterPatterns: [],
  maximumRetryAttempts: -1,
  maximumRecordAgeInSeconds: -1,
  bisectBatchOnFunctionError: false,
  reportBatchItemFailures: false,
}

export type FilterPattern = { readonly [field: string]: FilterPattern | readonly FilterRule[] }
type FilterRule = string | number | boolean | null | { readonly [operator: string]: unknown }

/** The on-failure destination message Lambda sends for a stream batch it gave up on. */
export interface StreamFailureMessage {
  version: '1.0'
  timestamp: string
  requestContext: {
    requestId: string
    functionArn: string
    condition: 'RetryAttemptsExhausted' | 'RecordAgeExceeded'
    approximateInvokeCount: number
  }
  responseContext: { statusCode: number; executedVersion: string; functionError?: string }
  DDBStreamBatchInfo: {
    shardId: string
    startSequenceNumber: string
    endSequenceNumber: string
    approximateArrivalOfFirstRecord: string
    approximateArrivalOfLastRecord: string
    batchSize: number
    streamArn: string
  }
}

export interface DynamoDbStreamPollerOptions extends Partial<StreamEventSettings> {
  streamArn: string
  handler: StreamHandler
  /** Endpoint of DynamoDB Local (its streams API is served on the same port). */
  endpoint: string
  /**
   * The consuming function: Lambda's event source mapping reads the stream with the function's
   * execution role, so the poller calls through the function's endpoint (the IAM gateway) with its
   * credentials. Without it, the poller reads as the local cloud's administrator.
   */
  readAs?: { environment: Readonly<Record<string, string>> }
  region?: string
  /** Names the function in the fake Lambda context and in failure messages. */
  functionName?: string
  /** Wait between GetRecords calls on a shard that returned nothing (Lambda polls ~4 times a second). */
  pollIntervalMs?: number
  /** The on-failure destination; every message is also kept in `poller.failures`. */
  onFailure?: (message: StreamFailureMessage) => void
  log?: (message: string) => void
}

export interface DynamoDbStreamPoller {
  /** Resolves once every shard has its starting iterator: records written after this are delivered. */
  readonly ready: Promise<void>
  /** On-failure destination messages so far. */
  readonly failures: readonly StreamFailureMessage[]
  /** Stops polling; resolves after the batch in flight (if any) has been handled. */
  stop(): Promise<void>
}

/**
 * The stream event of `functionName` in a printed serverless.yml (`sls print`), as poller settings.
 * Reading them from the service's own config keeps one source of truth for the filter and limits.
 */
export const streamEventSettings = (
  printed: Pick<PrintedService, 'functions'>,
  functionName: string,
): StreamEventSettings => {
  const fn = printed.functions?.[functionName]
  if (!fn) throw new Error(`No function ${functionName} in the service config`)
  const stream = fn.events?.map((event) => event.stream).find((value) => value !== undefined) as
    | Record<string, unknown>
    | undefined
  if (!stream || typeof stream !== 'object') throw new Error(`Function ${functionName} has no stream event`)
  const number = (key: string, fallback: number) =>
    typeof stream[key] === 'number' ? (stream[key] as number) : fallback
  return {
    batchSize: number('batchSize', defaultStreamEventSettings.batchSize),
    startingPosition: stream.startingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
    filterPatterns: (stream.filterPatterns as FilterPattern[] | undefined) ?? [],
    maximumRetryAttempts: number('maximumRetryAttempts', -1),
    maximumRecordAgeInSeconds: number('maximumRecordAgeInSeconds', -1),
    bisectBatchOnFunctionError: stream.bisectBatchOnFunctionError === true,
    reportBatchItemFailures: stream.functionResponseType === 'ReportBatchItemFailures',
  }
}

/**
 * The ARN of the stream event's on-failure destination (`destinations.onFailure.arn`), resolved as
 * CloudFormation would (a queue or topic of the service's own resources, or an ARN); undefined
 * when the event has none.
 */
export const onFailureDestinationArn = (
  printed: Pick<PrintedService, 'functions' | 'resources' | 'service'>,
  functionName: string,
  context: { region: string; accountId: string; stage: string },
): string | undefined => {
  const stream = printed.functions?.[functionName]?.events
    ?.map((event) => event.stream)
    .find((value) => value !== undefined) as { destinations?: { onFailure?: unknown } } | undefined
  const onFailure = stream?.destinations?.onFailure
  const arn = onFailure && typeof onFailure === 'object' ? (onFailure as { arn?: unknown }).arn : onFailure
  if (arn === undefined) return undefined
  const resources = Object.assign(
    {},
    ...[printed.resources]
      .flat()
      .map((part) => (part as { Resources?: Record<string, CfnResource> })?.Resources ?? {}),
  ) as Record<string, CfnResource>
  const stack = {
    region: context.region,
    accountId: context.accountId,
    stackName: `${printed.service}-${context.stage}`,
  }
  try {
    return String(resolveIntrinsics(arn, withTemplateOnlyIdentifiers(resources, stack)))
  } catch (error) {
    if (error instanceof UnresolvableError)
      throw new Error(
        `${functionName}: its on-failure destination cannot be resolved locally: ${error.message}`,
      )
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// Event filtering (the Lambda/EventBridge pattern syntax, the operators Lambda supports)

const matchesRule = (rule: FilterRule, value: unknown, present: boolean): boolean => {
  if (rule === null || typeof rule !== 'object') return present && value === rule
  const [operator, operand, ...rest] = Object.entries(rule).flat() as [string, unknown, ...unknown[]]
  if (rest.length) throw new Error(`Filter rule with more than one operator: ${JSON.stringify(rule)}`)
  switch (operator) {
    case 'exists':
      return operand === present
    case 'prefix':
      return present && typeof value === 'string' && value.startsWith(String(operand))
    case 'suffix':
      return present && typeof value === 'string' && value.endsWith(String(operand))
    case 'equals-ignore-case':
      return present && typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase()
    case 'anything-but': {
      if (!present) return false
      if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
        return !matchesRule(operand as FilterRule, value, present)
      }
      return !(Array.isArray(operand) ? operand : [operand]).includes(value)
    }
    case 'numeric': {
      const n = typeof value === 'string' ? Number(value) : value
      if (!present || typeof n !== 'number' || Number.isNaN(n)) return false
      const terms = operand as (string | number)[]
      for (let i = 0; i < terms.length; i += 2) {
        const bound = Number(terms[i + 1])
        const ok = { '=': n === bound, '<': n < bound, '<=': n <= bound, '>': n > bound, '>=': n >= bound }[
          String(terms[i]) as '='
        ]
        if (!ok) return false
      }
      return true
    }
    default:
      throw new Error(
        `Unsupported filter operator "${operator}" (supported: exists, prefix, suffix, equals-ignore-case, anything-but, numeric)`,
      )
  }
}

const matchesPattern = (pattern: FilterPattern, data: unknown): boolean =>
  Object.entries(pattern).every(([field, expected]) => {
    const present = data !== null && typeof data === 'object' && field in data
    const value = present ? (data as Record<string, unknown>)[field] : undefined
    if (!Array.isArray(expected)) return matchesPattern(expected as FilterPattern, value ?? {})
    const candidates = Array.isArray(value) ? value : [value]
    return (expected as FilterRule[]).some((rule) =>
      candidates.some((candidate) => matchesRule(rule, candidate, present)),
    )
  })

/** Lambda event filtering for one record: no patterns lets everything through; else any pattern. */
export const matchesFilterPatterns = (record: DynamoDBRecord, patterns: readonly FilterPattern[]): boolean =>
  patterns.length === 0 || patterns.some((pattern) => matchesPattern(pattern, record))

// ---------------------------------------------------------------------------------------------
// Records: the streams API's shapes to the Lambda event's shapes

const toLambdaValue = (value: AttributeValue): LambdaAttributeValue => {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') }
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) }
  if (value.M !== undefined) return { M: toLambdaImage(value.M) }
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) }
  const { $unknown: _unknown, ...rest } = value as AttributeValue & { $unknown?: unknown }
  return rest as LambdaAttributeValue
}

const toLambdaImage = (image: Record<string, AttributeValue>): Record<string, LambdaAttributeValue> =>
  Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]))

/** One GetRecords record as Lambda puts it in a `DynamoDBStreamEvent`. */
export const toLambdaRecord = (record: SdkStreamRecord, streamArn: string): DynamoDBRecord => {
  const data = record.dynamodb ?? {}
  return {
    ...(record.eventID ? { eventID: record.eventID } : {}),
    ...(record.eventName ? { eventName: record.eventName as DynamoDBRecord['eventName'] } : {}),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion: record.awsRegion ?? 'us-east-1',
    eventSourceARN: streamArn,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
    dynamodb: {
      ...(data.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(data.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      ...(data.Keys ? { Keys: toLambdaImage(data.Keys) } : {}),
      ...(data.NewImage ? { NewImage: toLambdaImage(data.NewImage) } : {}),
      ...(data.OldImage ? { OldImage: toLambdaImage(data.OldImage) } : {}),
      ...(data.SequenceNumber ? { SequenceNumber: data.SequenceNumber } : {}),
      ...(data.SizeBytes !== undefined ? { SizeBytes: data.SizeBytes } : {}),
      ...(data.StreamViewType ? { StreamViewType: data.StreamViewType } : {}),
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The poller

interface ShardState {
  id: string
  parentId: string | undefined
  iterator: string | undefined
  /** Last sequence number handed to the handler or filtered out: where to resume after expiry. */
  checkpoint: string | undefined
  startType: ShardIteratorType
  done: boolean
}

interface PendingBatch {
  records: DynamoDBRecord[]
  retries: number
  invocations: number
}

const fakeContext = (functionName: string, region: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
  memoryLimitInMB: '1024',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: 'local',
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
})

const errorName = (error: unknown) => (error instanceof Error ? error.name : 'Error')

/** Starts a local event source mapping on `streamArn`; see the module comment for its semantics. */
export const startDynamoDbStreamPoller = (options: DynamoDbStreamPollerOptions): DynamoDbStreamPoller => {
  const settings: StreamEventSettings = { ...defaultStreamEventSettings, ...options }
  const { streamArn, handler } = options
  const region = options.region ?? 'us-east-1'
  const functionName = options.functionName ?? 'local-function'
  const pollIntervalMs = options.pollIntervalMs ?? 100
  const log = options.log ?? (() => undefined)
  const role = options.readAs?.environment
  const client = new DynamoDBStreamsClient({
    endpoint: role?.AWS_ENDPOINT_URL_DYNAMODB_STREAMS ?? options.endpoint,
    region,
    credentials:
      role?.AWS_ACCESS_KEY_ID && role.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: role.AWS_ACCESS_KEY_ID,
            secretAccessKey: role.AWS_SECRET_ACCESS_KEY,
            ...(role.AWS_SESSION_TOKEN ? { sessionToken: role.AWS_SESSION_TOKEN } : {}),
          }
        : { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  const failures: StreamFailureMessage[] = []
  const shards = new Map<string, ShardState>()
  const stopping = new AbortController()

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopping.signal.aborted) return resolve()
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        stopping.signal.removeEventListener('abort', done)
        resolve()
      }
      stopping.signal.addEventListener('abort', done)
    })

  const describeShards = async (): Promise<Shard[]> => {
    const all: Shard[] = []
    let start: string | undefined
    do {
      const page = await client.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      )
      all.push(...(page.StreamDescription?.Shards ?? []))
      start = page.StreamDescription?.LastEvaluatedShardId
    } while (start)
    return all
  }

  const discover = async (initial: boolean) => {
    for (const shard of await describeShards()) {
      if (!shard.ShardId || shards.has(shard.ShardId)) continue
      const closed = Boolean(shard.SequenceNumberRange?.EndingSequenceNumber)
      // LATEST at start-up means "nothing older than now": closed shards hold only history then.
      // Shards that appear later are new, so they are read from their start.
      const latest = initial && settings.startingPosition === 'LATEST'
      shards.set(shard.ShardId, {
        id: shard.ShardId,
        parentId: shard.ParentShardId,
        iterator: undefined,
        checkpoint: undefined,
        startType: latest ? 'LATEST' : 'TRIM_HORIZON',
        done: latest && closed,
      })
    }
  }

  const readable = (shard: ShardState) => {
    if (shard.done) return false
    const parent = shard.parentId ? shards.get(shard.parentId) : undefined
    // A parent no longer described has been trimmed away: nothing to wait for.
    return !parent || parent.done
  }

  const iteratorFor = async (shard: ShardState) => {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.id,
        ...(shard.checkpoint
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.checkpoint }
          : { ShardIteratorType: shard.startType }),
      }),
    )
    return ShardIterator
  }

  const sendToDestination = (
    shardId: string,
    batch: PendingBatch,
    condition: StreamFailureMessage['requestContext']['condition'],
    error?: unknown,
  ) => {
    const first = batch.records[0]?.dynamodb
    const last = batch.records.at(-1)?.dynamodb
    const arrival = (seconds: number | undefined) => new Date((seconds ?? 0) * 1000).toISOString()
    const message: StreamFailureMessage = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
        condition,
        approximateInvokeCount: batch.invocations,
      },
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(error !== undefined ? { functionError: 'Unhandled' } : {}),
      },
      DDBStreamBatchInfo: {
        shardId,
        startSequenceNumber: first?.SequenceNumber ?? '',
        endSequenceNumber: last?.SequenceNumber ?? '',
        approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
        approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
        batchSize: batch.records.length,
        streamArn,
      },
    }
    failures.push(message)
    log(
      `[${functionName}] on-failure destination: ${condition}, ${batch.records.length} record(s) ` +
        `${message.DDBStreamBatchInfo.startSequenceNumber}..${message.DDBStreamBatchInfo.endSequenceNumber}` +
        (error !== undefined
          ? ` (${errorName(error)}: ${error instanceof Error ? error.message : String(error)})`
          : ''),
    )
    options.onFailure?.(message)
  }

  /** Hands `records` to the handler until they succeed, are bisected away, or go to the destination. */
  const deliver = async (shardId: string, records: DynamoDBRecord[]) => {
    const queue: PendingBatch[] = [{ records, retries: 0, invocations: 0 }]
    while (queue.length) {
      const batch = queue.shift() as PendingBatch
      if (settings.maximumRecordAgeInSeconds >= 0) {
        const oldest = Date.now() / 1000 - settings.maximumRecordAgeInSeconds
        const expired = batch.records.filter(
          (r) => (r.dynamodb?.ApproximateCreationDateTime ?? Number.POSITIVE_INFINITY) < oldest,
        )
        if (expired.length) {
          sendToDestination(shardId, { ...batch, records: expired }, 'RecordAgeExceeded')
          batch.records = batch.records.filter((r) => !expired.includes(r))
          if (!batch.records.length) continue
        }
      }
      batch.invocations++
      let retry: DynamoDBRecord[] | undefined
      let failure: unknown
      try {
        const response = await handler({ Records: batch.records }, fakeContext(functionName, region))
        const failed = settings.reportBatchItemFailures ? (response?.batchItemFailures ?? []) : []
        if (failed.length) {
          const sequenceNumbers = batch.records.map((r) => r.dynamodb?.SequenceNumber)
          const positions = failed.map((f) => sequenceNumbers.indexOf(f.itemIdentifier))
          // An identifier that is not in the batch makes Lambda treat the whole batch as failed.
          retry = positions.includes(-1) ? batch.records : batch.records.slice(Math.min(...positions))
        }
      } catch (error) {
        failure = error
        if (settings.bisectBatchOnFunctionError && batch.records.length > 1) {
          // Splitting does not use up retries (AWS); halves are retried in order, so order is kept.
          const half = Math.ceil(batch.records.length / 2)
          queue.unshift(
            { records: batch.records.slice(0, half), retries: batch.retries, invocations: 0 },
            { records: batch.records.slice(half), retries: batch.retries, invocations: 0 },
          )
          continue
        }
        retry = batch.records
      }
      if (!retry) continue
      if (settings.maximumRetryAttempts >= 0 && batch.retries >= settings.maximumRetryAttempts) {
        sendToDestination(shardId, { ...batch, records: retry }, 'RetryAttemptsExhausted', failure)
        continue
      }
      if (stopping.signal.aborted) return
      // Lambda backs off between stream retries; a short, growing pause keeps a failing handler from spinning.
      await sleep(Math.min(1_000, pollIntervalMs * 2 ** batch.retries))
      queue.unshift({ records: retry, retries: batch.retries + 1, invocations: batch.invocations })
    }
  }

  /** One GetRecords on `shard` and the delivery of what it returned; true when records came. */
  const pollShard = async (shard: ShardState): Promise<boolean> => {
    shard.iterator ??= await iteratorFor(shard)
    if (!shard.iterator) {
      shard.done = true
      return false
    }
    let page: GetRecordsCommandOutput
    try {
      page = await client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }))
    } catch (error) {
      if (error instanceof ExpiredIteratorException) {
        shard.iterator = undefined
        return true
      }
      if (error instanceof TrimmedDataAccessException) {
        shard.checkpoint = undefined
        shard.startType = 'TRIM_HORIZON'
        shard.iterator = undefined
        return true
      }
      throw error
    }
    const records = (page.Records ?? []).map((record) => toLambdaRecord(record, streamArn))
    const delivered = records.filter((record) => matchesFilterPatterns(record, settings.filterPatterns))
    for (let i = 0; i < delivered.length && !stopping.signal.aborted; i += settings.batchSize) {
      await deliver(shard.id, delivered.slice(i, i + settings.batchSize))
    }
    if (stopping.signal.aborted) return false
    shard.checkpoint = records.at(-1)?.dynamodb?.SequenceNumber ?? shard.checkpoint
    shard.iterator = page.NextShardIterator
    // No next iterator: the shard is closed and fully read; its children may start.
    if (!shard.iterator) shard.done = true
    return records.length > 0
  }

  let resolveReady: () => void = () => undefined
  let rejectReady: (error: unknown) => void = () => undefined
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve
    rejectReady = reject
  })
  // Unhandled if nobody awaits `ready`: the loop logs the error anyway.
  ready.catch(() => undefined)

  const loop = (async () => {
    try {
      await discover(true)
      for (const shard of shards.values()) if (readable(shard)) shard.iterator = await iteratorFor(shard)
      resolveReady()
    } catch (error) {
      rejectReady(error)
      log(`[${functionName}] stream poller could not start on ${streamArn}: ${String(error)}`)
      return
    }
    let lastDiscovery = Date.now()
    while (!stopping.signal.aborted) {
      let busy = false
      try {
        if (Date.now() - lastDiscovery > 1_000) {
          await discover(false)
          lastDiscovery = Date.now()
        }
        for (const shard of shards.values()) {
          if (stopping.signal.aborted) break
          if (readable(shard)) busy = (await pollShard(shard)) || busy
        }
      } catch (error) {
        log(`[${functionName}] stream poller error (retrying): ${String(error)}`)
      }
      if (!busy) await sleep(pollIntervalMs)
    }
  })()

  return {
    ready,
    failures,
    async stop() {
      stopping.abort()
      await loop
      client.destroy()
    },
  }
}
