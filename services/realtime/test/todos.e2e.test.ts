/**
 * Todo changes by push: a REST write to todo-api (serverless-offline, real cognito-local tokens)
 * lands in the todos table (DynamoDB Local), whose stream the local event source mapping hands to
 * realtime's onTodoChange, which posts through serverless-offline's @connections API to every
 * connection of the owner. Two devices of one user; a second user who must hear nothing.
 */
import { randomUUID } from 'node:crypto'
import { type LocalCloudForTests, localCloud, type TestUser } from '@app/local-cloud/testing'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, newUser, type RealtimeClient } from './client'

let cloud: LocalCloudForTests
let alice: TestUser
let bob: TestUser
const clients: RealtimeClient[] = []
const connectionsTable = 'realtime-local-connections'
let admin: DynamoDBDocumentClient

beforeAll(async () => {
  cloud = localCloud()
  admin = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: cloud.region,
      endpoint: cloud.endpoints.dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  )
  ;[alice, bob] = await Promise.all([newUser(cloud), newUser(cloud)])
})
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()))
  admin?.destroy()
})

const device = async (user: TestUser) => {
  const client = await connect(cloud, user.accessToken)
  clients.push(client)
  return client
}

const todos = (user: TestUser, path: string, init: RequestInit = {}) =>
  fetch(`${String(cloud.endpoints.todoApi)}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${user.accessToken}`,
      'content-type': 'application/json',
      ...(init.method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  })

describe('todo changes by push', () => {
  it("one device changes a todo, the user's other device hears it, another user hears nothing", async () => {
    const [phone, tablet, bobsPhone] = await Promise.all([device(alice), device(alice), device(bob)])

    const created = await todos(alice, '/todos', {
      method: 'POST',
      body: JSON.stringify({ title: 'Buy milk' }),
    })
    expect(created.status).toBe(201)
    const todo = (await created.json()) as { id: string; version: number }
    const changed = await tablet.next(
      (m) => m.type === 'todo.changed' && (m.todo as { id: string }).id === todo.id,
    )
    expect(changed).toMatchObject({
      id: expect.any(String),
      todo: { title: 'Buy milk', status: 'open', version: 1 },
    })
    // The writing device hears its own change too (a REST write knows no socket): same event, same id.
    expect(await phone.next((m) => m.id === changed.id)).toEqual(changed)

    const patched = await todos(alice, `/todos/${todo.id}`, {
      method: 'PATCH',
      headers: { 'if-match': String(created.headers.get('etag')) },
      body: JSON.stringify({ status: 'done' }),
    })
    expect(patched.status).toBe(200)
    expect(
      await tablet.next((m) => m.type === 'todo.changed' && (m.todo as { status: string }).status === 'done'),
    ).toMatchObject({ todo: { id: todo.id, version: 2 } })

    const deleted = await todos(alice, `/todos/${todo.id}`, { method: 'DELETE' })
    expect(deleted.status).toBe(204)
    expect(await tablet.next((m) => m.type === 'todo.deleted')).toMatchObject({ todoId: todo.id })

    // Bob's own write reaches Bob: by then Alice's three events had their turn on the same stream.
    const bobs = await todos(bob, '/todos', { method: 'POST', body: JSON.stringify({ title: 'Bob only' }) })
    expect(bobs.status).toBe(201)
    await bobsPhone.next((m) => m.type === 'todo.changed')
    expect(bobsPhone.messages.map((m) => (m.todo as { title?: string } | undefined)?.title)).toEqual([
      'Bob only',
    ])
    expect(
      tablet.messages.some((m) => (m.todo as { title?: string } | undefined)?.title === 'Bob only'),
    ).toBe(false)
    // Every message is a JSON object with at least `type` and `id`, and the ids are unique per event.
    for (const message of tablet.messages)
      expect(message).toMatchObject({ type: expect.any(String), id: expect.any(String) })
    expect(new Set(tablet.messages.map((m) => m.id)).size).toBe(tablet.messages.length)
  })

  it('a connection that has gone away is dropped and removed; the live one still hears the event', async () => {
    const staying = await device(alice)
    // A connection API Gateway has closed but whose $disconnect never reached the table (a crashed
    // disconnect): its item is there, @connections answers 410 for it.
    const ghost = `ghost-${randomUUID()}`
    await admin.send(
      new PutCommand({
        TableName: connectionsTable,
        Item: {
          pk: `user#${alice.sub}`,
          sk: `connection#${ghost}`,
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
        },
      }),
    )
    const created = await todos(alice, '/todos', { method: 'POST', body: JSON.stringify({ title: 'After' }) })
    expect(created.status).toBe(201)
    await staying.next((m) => m.type === 'todo.changed' && (m.todo as { title: string }).title === 'After')
    const ghostItem = () =>
      admin.send(
        new GetCommand({
          TableName: connectionsTable,
          Key: { pk: `user#${alice.sub}`, sk: `connection#${ghost}` },
        }),
      )
    // The delivery removes it before it returns, and the live device heard it after the ghost was tried.
    for (let attempt = 0; attempt < 100 && (await ghostItem()).Item; attempt += 1)
      await new Promise((resolve) => setTimeout(resolve, 100))
    expect((await ghostItem()).Item).toBeUndefined()
  })
})
