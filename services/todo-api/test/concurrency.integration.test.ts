/**
 * Exactly-once under duplicates and races, against DynamoDB Local with the real adapters
 * (Powertools idempotency records, conditional writes): what a flaky mobile network produces.
 */

import { randomUUID } from 'node:crypto'
import { localClients } from '@app/local-cloud/clients'
import { useFunctionEnv } from '@app/local-cloud/testing'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import { lambdaContext, restEvent } from '../src/testing/events'

const cloud = useFunctionEnv({
  TODOS_TABLE: 'todo-api-local-todos',
  IDEMPOTENCY_TABLE: 'todo-api-local-idempotency',
  CURSOR_SECRET: 'concurrency-cursor-signing-key-0123456789',
})
type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>
const load = async (name: string) =>
  ((await import(`../src/functions/${name}/handler.ts`)) as { handler: Handler }).handler
const { db } = localClients(cloud)
const itemsOf = async (sub: string) =>
  (
    await db.send(
      new QueryCommand({
        TableName: 'todo-api-local-todos',
        // The todos only: the partition also holds the user's change counter and tombstones.
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :todo)',
        ExpressionAttributeValues: { ':pk': `USER#${sub}`, ':todo': 'TODO#' },
        ConsistentRead: true,
      }),
    )
  ).Items ?? []
const json = { 'content-type': 'application/json' }

describe('exactly once', () => {
  it('creates one todo from concurrent duplicates of one idempotent POST', async () => {
    const createTodo = await load('createTodo')
    const sub = randomUUID()
    const headers = { ...json, 'Idempotency-Key': randomUUID() }
    const post = () =>
      createTodo(
        restEvent({ method: 'POST', path: '/todos', sub, headers, body: '{"title":"Only once"}' }),
        lambdaContext(),
      )
    const responses = await Promise.all(Array.from({ length: 8 }, post))
    // A duplicate that arrives while the first is still running is told to retry (409); every
    // completed one carries the same todo.
    const statuses = responses.map((response) => response.statusCode)
    expect(
      statuses.every((status) => status === 201 || status === 409),
      statuses.join(),
    ).toBe(true)
    const bodies = new Set(responses.filter((r) => r.statusCode === 201).map((r) => r.body))
    expect(bodies.size).toBe(1)
    const retried = await post()
    expect(retried.statusCode, retried.body).toBe(201)
    // Byte for byte the first response, so its ETag too.
    expect(retried.body).toBe([...bodies][0])
    expect(await itemsOf(sub)).toHaveLength(1)
  })

  it('lets exactly one of two concurrent updates with the same If-Match win', async () => {
    const [createTodo, updateTodo] = await Promise.all([load('createTodo'), load('updateTodo')])
    const sub = randomUUID()
    const created = await createTodo(
      restEvent({ method: 'POST', path: '/todos', sub, headers: json, body: '{"title":"Race"}' }),
      lambdaContext(),
    )
    const { id } = JSON.parse(created.body)
    const patch = (title: string) =>
      updateTodo(
        restEvent({
          method: 'PATCH',
          path: `/todos/${id}`,
          sub,
          pathParameters: { id },
          headers: { ...json, 'If-Match': String(created.headers?.etag) },
          body: JSON.stringify({ title }),
        }),
        lambdaContext(),
      )
    const results = await Promise.all(['left', 'right', 'middle', 'up', 'down'].map(patch))
    const statuses = results.map((result) => result.statusCode).sort()
    expect(statuses).toEqual([200, 412, 412, 412, 412])
    const [stored] = await itemsOf(sub)
    expect(stored?.version).toBe(2)
    expect(stored?.title).toBe(JSON.parse(results.find((r) => r.statusCode === 200)!.body).title)
  })
})
