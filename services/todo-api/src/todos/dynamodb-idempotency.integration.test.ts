/**
 * The DynamoDB idempotency adapter against DynamoDB Local: its contract, and that its records are
 * Powertools' records (each implementation replays what the other completed), so switching between
 * them across a deploy never runs a request twice.
 */
import { randomUUID } from 'node:crypto'
import { ConflictError, IdempotencyKeyReusedError } from '@app/domain'
import { localClients } from '@app/local-cloud/clients'
import { localCloud } from '@app/local-cloud/testing'
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { createDynamoDbIdempotency, idempotencyRecordKey, payloadHash } from './dynamodb-idempotency'

const tableName = 'todo-api-local-idempotency'
const keyPrefix = 'todo-api.createTodo'
const { db, dynamodb } = localClients(localCloud())
const idempotency = createDynamoDbIdempotency({ db, tableName, keyPrefix, expiresAfterSeconds: 3600 })
const scope = () => ({ sub: randomUUID(), key: randomUUID() })
const counter = <T>(result: T) => {
  const work = async () => {
    work.calls++
    return result
  }
  work.calls = 0
  return work
}

/** What createTodo ran on before: Powertools with `[sub, key]` as key and `payload` validated. */
const powertools = (work: () => Promise<unknown>) => {
  const run = makeIdempotent(async (_request: { sub: string; key: string; payload: unknown }) => work(), {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamodb }),
    config: new IdempotencyConfig({
      eventKeyJmesPath: '[sub, key]',
      payloadValidationJmesPath: 'payload',
      expiresAfterSeconds: 3600,
      throwOnNoIdempotencyKey: true,
    }),
    keyPrefix,
  })
  return (s: { sub: string; key: string }, payload: unknown) => run({ ...s, payload })
}

describe('createDynamoDbIdempotency', () => {
  it('runs the work once per (user, key) and replays its result; another body is refused', async () => {
    const s = scope()
    const work = counter({ id: 'a', n: 1 })
    expect(await idempotency.once(s, { title: 'x' }, work)).toEqual({ id: 'a', n: 1 })
    expect(await idempotency.once(s, { title: 'x' }, work)).toEqual({ id: 'a', n: 1 })
    expect(work.calls).toBe(1)
    await expect(idempotency.once(s, { title: 'y' }, work)).rejects.toThrow(IdempotencyKeyReusedError)
    // The same key chosen by another user is another record.
    expect(await idempotency.once({ ...s, sub: randomUUID() }, { title: 'x' }, work)).toEqual({
      id: 'a',
      n: 1,
    })
    expect(work.calls).toBe(2)
  })

  it('runs concurrent duplicates once: the others are told to retry or get the same result', async () => {
    const s = scope()
    let calls = 0
    const work = async () => {
      calls++
      await new Promise((resolve) => setTimeout(resolve, 100))
      return { id: 'once' }
    }
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => idempotency.once(s, { title: 'x' }, work)),
    )
    expect(calls).toBe(1)
    for (const result of results)
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError)
      else expect(result.value).toEqual({ id: 'once' })
    expect(results.some((result) => result.status === 'fulfilled')).toBe(true)
  })

  it('forgets a failed run, so the retry runs again', async () => {
    const s = scope()
    await expect(
      idempotency.once(s, { title: 'x' }, async () => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom')
    const work = counter({ id: 'second' })
    expect(await idempotency.once(s, { title: 'x' }, work)).toEqual({ id: 'second' })
    expect(work.calls).toBe(1)
  })

  it('takes over a record left in progress by a crashed invocation once its time is up', async () => {
    const s = scope()
    const id = idempotencyRecordKey(keyPrefix, s)
    const base = {
      id,
      status: 'INPROGRESS',
      expiration: Math.round(Date.now() / 1000) + 3600,
      validation: payloadHash({ title: 'x' }),
    }
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...base, in_progress_expiration: Date.now() + 60_000 },
      }),
    )
    await expect(
      idempotency.once(s, { title: 'x' }, counter({}), { remainingTimeInMillis: () => 1000 }),
    ).rejects.toThrow(ConflictError)
    await db.send(
      new PutCommand({ TableName: tableName, Item: { ...base, in_progress_expiration: Date.now() - 1 } }),
    )
    const work = counter({ id: 'taken over' })
    expect(await idempotency.once(s, { title: 'x' }, work, { remainingTimeInMillis: () => 1000 })).toEqual({
      id: 'taken over',
    })
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { id } }))
    expect(Item).toMatchObject({ status: 'COMPLETED', data: { id: 'taken over' } })
  })

  it('replays what Powertools completed, and Powertools replays what it completed', async () => {
    const payload = { title: 'Buy milk', notes: 'two', Due: 'z' }
    const first = scope()
    const byPowertools = counter({ id: 'pt', version: 1 })
    expect(await powertools(byPowertools)(first, payload)).toEqual({ id: 'pt', version: 1 })
    const ours = counter({ id: 'ours' })
    expect(await idempotency.once(first, { ...payload }, ours)).toEqual({ id: 'pt', version: 1 })
    await expect(idempotency.once(first, { title: 'other' }, ours)).rejects.toThrow(IdempotencyKeyReusedError)
    expect(ours.calls).toBe(0)

    const second = scope()
    expect(await idempotency.once(second, payload, ours)).toEqual({ id: 'ours' })
    const again = counter({ id: 'pt-again' })
    expect(await powertools(again)(second, payload)).toEqual({ id: 'ours' })
    await expect(powertools(again)(second, { title: 'other' })).rejects.toThrow(/does not match/)
    expect(again.calls).toBe(0)
  })
})
