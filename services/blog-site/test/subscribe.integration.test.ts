import { createSubscriptionTokens } from '@app/domain/subscribers'
import { localClients } from '@app/local-cloud/clients'
import { localSecret } from '@app/local-cloud/secrets'
import { useFunctionEnv } from '@app/local-cloud/testing'
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb'
import {
  type _Record,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { localOriginSecretString } from '../local'
import { call } from '../src/testing/fakes'
import { blogOutputs, unique } from './stand-ins'

/**
 * Subscribing is idempotent end to end: one pending item (with its TTL) in DynamoDB Local and
 * exactly one INSERT on the table's stream (the mailer's trigger for the one confirmation email),
 * however often and however spelled the address arrives within the cool-down. Runs the deployed handler module in-process and the same function through
 * serverless-offline.
 */
const cloud = useFunctionEnv()
const outputs = blogOutputs(cloud)
const table = outputs.SubscribersTableName
// The deployed subscribe function's settings (serverless.yml params `pendingSubscriberTtlSeconds`, `confirmationCooldownSeconds`).
const subscribeFn = cloud.services.find((service) => service.name === 'blog-site')?.config?.functions
  ?.subscribe
// The origin secret as the local cloud gives it to the functions; `call` sends the header the edge adds.
const originSecret = localOriginSecretString(cloud.stage)
Object.assign(process.env, { SUBSCRIBERS_TABLE: table }, subscribeFn?.environment, {
  ORIGIN_VERIFY_SECRET: originSecret,
})
const viaEdge = { 'X-Origin-Verify': (JSON.parse(originSecret) as { current: string }).current }
const ttlSeconds = Number(subscribeFn?.environment?.PENDING_SUBSCRIBER_TTL_SECONDS)
/** The links' key as the local cloud gives it to the functions that sign and verify them. */
const tokens = createSubscriptionTokens(localSecret(`blog-site/${cloud.stage}/subscription-token-secret`))
const { db, dynamodb, streams } = localClients(cloud)

/** Every record of the table's stream so far (DynamoDB Local: read each shard until it runs dry). */
const streamRecords = async (): Promise<_Record[]> => {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: table }))
  const streamArn = Table?.LatestStreamArn
  if (!streamArn) throw new Error(`${table} has no stream`)
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }))
  const records: _Record[] = []
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator: iterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId!,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    )
    while (iterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }))
      records.push(...(page.Records ?? []))
      if (!page.Records?.length) break
      iterator = page.NextShardIterator
    }
  }
  return records
}

const recordsFor = (records: _Record[], email: string) =>
  records.filter((record) => record.dynamodb?.Keys?.email?.S === email)

describe('subscribe against DynamoDB Local', () => {
  it('stores one item and streams one INSERT however often an address subscribes', async () => {
    const { handler } = await import('../src/functions/subscribe/handler')
    const email = `${unique('reader')}@example.com`
    const spellings = [email, ` ${email.toUpperCase()} `, email, `${email}\n`]
    const answers = []
    for (const spelling of spellings)
      answers.push(
        await call(handler, {
          method: 'POST',
          path: '/api/subscribers',
          headers: viaEdge,
          body: { email: spelling },
        }),
      )
    // Parallel repeats race on the condition; still one winner.
    answers.push(
      ...(await Promise.all(
        [1, 2, 3].map(() =>
          call(handler, { method: 'POST', path: '/api/subscribers', headers: viaEdge, body: { email } }),
        ),
      )),
    )
    for (const answer of answers) expect(answer).toEqual(answers[0])
    expect(answers[0]?.status).toBe(202)

    const started = Math.floor(Date.now() / 1000)
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: { email } }))
    // Pending until confirmed (double opt-in), with the table's declared TTL attribute written.
    expect(Item).toMatchObject({
      email,
      status: 'pending',
      subscriberId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    })
    expect(ttlSeconds).toBeGreaterThan(0)
    expect(Item?.expiresAt).toBeGreaterThan(started + ttlSeconds - 120)
    expect(Item?.expiresAt).toBeLessThanOrEqual(started + ttlSeconds + 1)
    const { TimeToLiveDescription } = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }))
    expect(TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' })

    const events = recordsFor(await streamRecords(), email)
    expect(events.map((record) => record.eventName)).toEqual(['INSERT'])
    expect(events[0]?.dynamodb?.NewImage?.email?.S).toBe(email)
  })

  it('does the same through the HTTP API (the local edge, serverless-offline behind it)', async () => {
    const api = cloud.endpoints.blogSite
    expect(api).toBeDefined()
    const email = `${unique('http')}@example.com`
    const post = (address: string) =>
      fetch(`${api}/api/subscribers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: address }),
      })
    const first = await post(email)
    const second = await post(email.toUpperCase())
    expect([first.status, second.status]).toEqual([202, 202])
    expect(await second.json()).toEqual(await first.json())
    expect(recordsFor(await streamRecords(), email).map((record) => record.eventName)).toEqual(['INSERT'])

    const rejected = await post('not-an-address')
    expect(rejected.status).toBe(400)
    expect(rejected.headers.get('content-type')).toBe('application/problem+json')
  })

  it('unsubscribes through the token of the email link, once, and forgets the address', async () => {
    const api = cloud.endpoints.blogSite
    const email = `${unique('leaving')}@example.com`
    await fetch(`${api}/api/subscribers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email }),
    })
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: { email } }))
    const token = tokens.unsubscribe(Item?.subscriberId as string)
    const leave = (body = { token }) =>
      fetch(`${api}/api/subscribers/unsubscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const forged = await leave({
      token: createSubscriptionTokens('z'.repeat(40)).unsubscribe(Item?.subscriberId),
    })
    expect(forged.status).toBe(400)
    expect((await db.send(new GetCommand({ TableName: table, Key: { email } }))).Item).toBeDefined()
    expect((await leave()).status).toBe(200)
    expect((await db.send(new GetCommand({ TableName: table, Key: { email } }))).Item).toBeUndefined()
    expect((await leave()).status).toBe(200)
    const events = recordsFor(await streamRecords(), email).map((record) => record.eventName)
    expect(events).toEqual(['INSERT', 'REMOVE'])
  })
})
