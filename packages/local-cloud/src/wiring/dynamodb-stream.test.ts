import {
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams'
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../ports'
import { startDynamoDb } from '../standins/dynamodb'
import type { RunningStandIn } from '../standins/types'
import {
  type DynamoDbStreamPoller,
  type DynamoDbStreamPollerOptions,
  matchesFilterPatterns,
  type StreamFailureMessage,
  startDynamoDbStreamPoller,
  streamEventSettings,
} from './dynamodb-stream'

const record = (fields: Partial<DynamoDBRecord>): DynamoDBRecord => ({ eventName: 'INSERT', ...fields })

describe('matchesFilterPatterns', () => {
  it('lets everything through without patterns', () => {
    expect(matchesFilterPatterns(record({ eventName: 'REMOVE' }), [])).toBe(true)
  })

  it('matches listed values, OR across patterns', () => {
    const patterns = [{ eventName: ['INSERT'] }, { eventName: ['REMOVE'] }]
    expect(matchesFilterPatterns(record({ eventName: 'INSERT' }), patterns)).toBe(true)
    expect(matchesFilterPatterns(record({ eventName: 'REMOVE' }), patterns)).toBe(true)
    expect(matchesFilterPatterns(record({ eventName: 'MODIFY' }), patterns)).toBe(false)
  })

  it('matches nested fields with the content operators', () => {
    const insert = record({ dynamodb: { NewImage: { email: { S: 'ann@example.com' }, age: { N: '42' } } } })
    const match = (pattern: object) => matchesFilterPatterns(insert, [pattern as never])
    expect(match({ dynamodb: { NewImage: { email: { S: [{ suffix: '@example.com' }] } } } })).toBe(true)
    expect(match({ dynamodb: { NewImage: { email: { S: [{ prefix: 'bob' }] } } } })).toBe(false)
    expect(match({ dynamodb: { NewImage: { email: { S: [{ 'anything-but': ['x@example.com'] }] } } } })).toBe(
      true,
    )
    expect(
      match({ dynamodb: { NewImage: { email: { S: [{ 'equals-ignore-case': 'ANN@example.com' }] } } } }),
    ).toBe(true)
    expect(match({ dynamodb: { NewImage: { age: { N: [{ numeric: ['>', 40, '<=', 42] }] } } } })).toBe(true)
    expect(match({ dynamodb: { NewImage: { age: { N: [{ numeric: ['<', 40] }] } } } })).toBe(false)
    expect(match({ dynamodb: { NewImage: { source: [{ exists: false }] } } })).toBe(true)
    expect(match({ dynamodb: { NewImage: { email: [{ exists: true }] } } })).toBe(true)
    expect(match({ dynamodb: { OldImage: [{ exists: true }] } })).toBe(false)
  })

  it('refuses an operator it does not implement rather than guessing', () => {
    expect(() => matchesFilterPatterns(record({}), [{ eventName: [{ wildcard: 'IN*' }] }])).toThrow(
      /Unsupported filter operator/,
    )
  })
})

describe('streamEventSettings', () => {
  it('reads the stream event of a function from the printed service', () => {
    const printed = {
      functions: {
        consume: {
          events: [
            {
              stream: {
                type: 'dynamodb',
                arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x',
                batchSize: 10,
                startingPosition: 'LATEST',
                filterPatterns: [{ eventName: ['INSERT'] }],
                maximumRetryAttempts: 3,
                maximumRecordAgeInSeconds: 600,
                bisectBatchOnFunctionError: true,
                functionResponseType: 'ReportBatchItemFailures',
              },
            },
          ],
        },
      },
    }
    expect(streamEventSettings(printed, 'consume')).toEqual({
      batchSize: 10,
      startingPosition: 'LATEST',
      filterPatterns: [{ eventName: ['INSERT'] }],
      maximumRetryAttempts: 3,
      maximumRecordAgeInSeconds: 600,
      bisectBatchOnFunctionError: true,
      reportBatchItemFailures: true,
    })
    expect(() => streamEventSettings(printed, 'missing')).toThrow(/No function missing/)
  })
})

describe('startDynamoDbStreamPoller against DynamoDB Local', () => {
  let dynamodb: RunningStandIn
  let client: DynamoDBClient
  let tables = 0

  beforeAll(async () => {
    dynamodb = await startDynamoDb({ port: await freePort() })
    client = new DynamoDBClient({
      endpoint: dynamodb.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
  })
  afterAll(async () => {
    client?.destroy()
    await dynamodb?.stop()
  })

  /** A fresh table with a NEW_IMAGE stream per test, so tests never see each other's records. */
  const freshTable = async () => {
    const TableName = `stream-test-${++tables}`
    const { TableDescription } = await client.send(
      new CreateTableCommand({
        TableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      }),
    )
    return { TableName, streamArn: TableDescription?.LatestStreamArn as string }
  }

  const put = (
    TableName: string,
    id: string,
    extra: Record<string, { S: string } | { B: Uint8Array }> = {},
  ) => client.send(new PutItemCommand({ TableName, Item: { id: { S: id }, ...extra } }))

  /** Records every invocation; `until(n)` resolves once n records in total were delivered successfully. */
  const recorder = (
    decide: (event: DynamoDBStreamEvent, call: number) => DynamoDBBatchResponse | undefined = () => undefined,
  ) => {
    const calls: string[][] = []
    const waiters: { count: number; resolve: () => void }[] = []
    const handled = new Set<string>()
    const handler = async (event: DynamoDBStreamEvent) => {
      const ids = event.Records.map((r) => r.dynamodb?.NewImage?.id?.S ?? '?')
      calls.push(ids)
      const response = decide(event, calls.length)
      const failed = new Set(response?.batchItemFailures.map((f) => f.itemIdentifier))
      for (const r of event.Records)
        if (!failed.has(r.dynamodb?.SequenceNumber ?? '')) handled.add(r.dynamodb?.NewImage?.id?.S ?? '?')
      for (const waiter of waiters) if (handled.size >= waiter.count) waiter.resolve()
      return response
    }
    const until = (count: number) =>
      new Promise<void>((resolve) => {
        if (handled.size >= count) resolve()
        else waiters.push({ count, resolve })
      })
    return { calls, handled, handler, until }
  }

  const start = async (
    options: Omit<DynamoDbStreamPollerOptions, 'endpoint'>,
  ): Promise<DynamoDbStreamPoller> => {
    const poller = startDynamoDbStreamPoller({
      endpoint: dynamodb.endpoint,
      pollIntervalMs: 20,
      startingPosition: 'LATEST',
      ...options,
    })
    await poller.ready
    return poller
  }

  it('delivers only the filtered records, as a real DynamoDBStreamEvent', async () => {
    const { TableName, streamArn } = await freshTable()
    const events: DynamoDBStreamEvent[] = []
    const seen = recorder()
    const poller = await start({
      streamArn,
      filterPatterns: [{ eventName: ['INSERT'] }],
      handler: async (event, context) => {
        events.push(event)
        expect(context.functionName).toBe('consume')
        return seen.handler(event)
      },
      functionName: 'consume',
    })
    await put(TableName, 'a', { payload: { B: new Uint8Array([1, 2, 3]) } })
    await client.send(
      new UpdateItemCommand({
        TableName,
        Key: { id: { S: 'a' } },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': { S: 'x' } },
      }),
    )
    await put(TableName, 'b')
    await seen.until(2)
    await poller.stop()
    const records = events.flatMap((event) => event.Records)
    expect(records.map((r) => [r.eventName, r.dynamodb?.NewImage?.id?.S])).toEqual([
      ['INSERT', 'a'],
      ['INSERT', 'b'],
    ])
    expect(records[0]).toMatchObject({
      eventSource: 'aws:dynamodb',
      eventSourceARN: streamArn,
      dynamodb: {
        Keys: { id: { S: 'a' } },
        // Binary attributes arrive base64-encoded, as Lambda delivers them.
        NewImage: { id: { S: 'a' }, payload: { B: 'AQID' } },
        StreamViewType: 'NEW_IMAGE',
        SequenceNumber: expect.any(String),
        ApproximateCreationDateTime: expect.any(Number),
      },
    })
  })

  it('retries from the first failed sequence number reported in batchItemFailures', async () => {
    const { TableName, streamArn } = await freshTable()
    // Fail "b" the first time it is seen.
    let failedOnce = false
    const seen = recorder((event) => {
      const b = event.Records.find((r) => r.dynamodb?.NewImage?.id?.S === 'b')
      if (!b || failedOnce) return { batchItemFailures: [] }
      failedOnce = true
      return { batchItemFailures: [{ itemIdentifier: b.dynamodb?.SequenceNumber as string }] }
    })
    // A batch window cannot be forced on DynamoDB Local, so write first and read from the start.
    for (const id of ['a', 'b', 'c']) await put(TableName, id)
    const poller = await start({
      streamArn,
      startingPosition: 'TRIM_HORIZON',
      reportBatchItemFailures: true,
      maximumRetryAttempts: 2,
      handler: seen.handler,
    })
    await seen.until(3)
    await poller.stop()
    expect(seen.calls).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c'],
    ])
    expect(poller.failures).toEqual([])
  })

  it('sends a poisoned record to the on-failure destination after the retries and goes on with the shard', async () => {
    const { TableName, streamArn } = await freshTable()
    const destination: StreamFailureMessage[] = []
    const seen = recorder((event) => {
      const poison = event.Records.find((r) => r.dynamodb?.NewImage?.id?.S === 'poison')
      return {
        batchItemFailures: poison ? [{ itemIdentifier: poison.dynamodb?.SequenceNumber as string }] : [],
      }
    })
    for (const id of ['a', 'poison', 'b']) await put(TableName, id)
    const poller = await start({
      streamArn,
      startingPosition: 'TRIM_HORIZON',
      reportBatchItemFailures: true,
      maximumRetryAttempts: 2,
      handler: seen.handler,
      onFailure: (message) => destination.push(message),
    })
    await seen.until(2)
    await put(TableName, 'after')
    await seen.until(3)
    await poller.stop()
    // First try plus two retries from the poisoned record, then the shard moves on.
    expect(seen.calls).toEqual([['a', 'poison', 'b'], ['poison', 'b'], ['poison', 'b'], ['after']])
    expect(destination).toEqual(poller.failures)
    expect(destination).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({
          condition: 'RetryAttemptsExhausted',
          approximateInvokeCount: 3,
        }),
        DDBStreamBatchInfo: expect.objectContaining({ batchSize: 2, streamArn }),
      }),
    ])
  })

  it('bisects a batch whose invocation throws, isolating the poisoned record', async () => {
    const { TableName, streamArn } = await freshTable()
    const seen = recorder((event) => {
      if (event.Records.some((r) => r.dynamodb?.NewImage?.id?.S === 'poison')) throw new Error('poisoned')
      return undefined
    })
    for (const id of ['a', 'b', 'poison', 'c']) await put(TableName, id)
    const poller = await start({
      streamArn,
      startingPosition: 'TRIM_HORIZON',
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 0,
      handler: seen.handler,
    })
    await seen.until(3)
    await poller.stop()
    expect(seen.calls).toEqual([['a', 'b', 'poison', 'c'], ['a', 'b'], ['poison', 'c'], ['poison'], ['c']])
    expect(
      poller.failures.map((f) => [
        f.requestContext.condition,
        f.DDBStreamBatchInfo.batchSize,
        f.responseContext.functionError,
      ]),
    ).toEqual([['RetryAttemptsExhausted', 1, 'Unhandled']])
  })

  it('stops cleanly: no invocation after stop() resolved', async () => {
    const { TableName, streamArn } = await freshTable()
    const seen = recorder()
    const poller = await start({ streamArn, handler: seen.handler })
    await put(TableName, 'a')
    await seen.until(1)
    await poller.stop()
    await put(TableName, 'b')
    // A second poller proves "b" is in the stream: the first one, stopped, never got it.
    const witness = recorder()
    const second = await start({ streamArn, startingPosition: 'TRIM_HORIZON', handler: witness.handler })
    await witness.until(2)
    await second.stop()
    expect(seen.calls).toEqual([['a']])
  })
})

describe('startDynamoDbStreamPoller shard lineage', () => {
  it('reads a child shard only after its parent is exhausted', async () => {
    // DynamoDB Local never splits shards, so the split is simulated at the SDK boundary.
    const streams = mockClient(DynamoDBStreamsClient)
    const image = (id: string, seq: string) => ({
      eventName: 'INSERT' as const,
      dynamodb: { SequenceNumber: seq, NewImage: { id: { S: id } } },
    })
    streams.on(DescribeStreamCommand).resolves({
      StreamDescription: {
        Shards: [
          {
            ShardId: 'child',
            ParentShardId: 'parent',
            SequenceNumberRange: { StartingSequenceNumber: '200' },
          },
          {
            ShardId: 'parent',
            SequenceNumberRange: { StartingSequenceNumber: '100', EndingSequenceNumber: '199' },
          },
        ],
      },
    })
    streams
      .on(GetShardIteratorCommand)
      .callsFake((input: { ShardId: string }) => ({ ShardIterator: `${input.ShardId}-0` }))
    streams
      .on(GetRecordsCommand, { ShardIterator: 'parent-0' })
      .resolves({ Records: [image('p1', '100')], NextShardIterator: 'parent-1' })
      .on(GetRecordsCommand, { ShardIterator: 'parent-1' })
      .resolves({ Records: [image('p2', '150')] })
      .on(GetRecordsCommand, { ShardIterator: 'child-0' })
      .resolves({ Records: [image('c1', '200')], NextShardIterator: 'child-1' })
      .on(GetRecordsCommand, { ShardIterator: 'child-1' })
      .resolves({ Records: [], NextShardIterator: 'child-1' })
    const order: string[] = []
    let done: () => void = () => undefined
    const sawChild = new Promise<void>((resolve) => {
      done = resolve
    })
    const poller = startDynamoDbStreamPoller({
      endpoint: 'http://127.0.0.1:9',
      streamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/x',
      pollIntervalMs: 5,
      handler: async (event) => {
        for (const r of event.Records) order.push(r.dynamodb?.NewImage?.id?.S ?? '?')
        if (order.includes('c1')) done()
      },
    })
    await sawChild
    await poller.stop()
    streams.restore()
    expect(order).toEqual(['p1', 'p2', 'c1'])
  })
})
