/**
 * The WebSocket API on the local cloud: serverless-offline's WebSocket server runs the routes, the
 * authorizer verifies real cognito-local tokens, the routes write the connections table in DynamoDB
 * Local through the local AWS gateway with their own roles. A real client (`ws`).
 */
import { type LocalCloudForTests, localCloud, type TestUser } from '@app/local-cloud/testing'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, newUser } from './client'

let cloud: LocalCloudForTests
let alice: TestUser
let db: DynamoDBDocumentClient
const table = 'realtime-local-connections'

beforeAll(async () => {
  cloud = localCloud()
  alice = await newUser(cloud)
  db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: cloud.region,
      endpoint: cloud.endpoints.dynamodb,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  )
})
afterAll(() => db?.destroy())

const itemsOf = async (pk: string) =>
  (
    await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    )
  ).Items ?? []

/** Until `probe` holds: the table is written by another process's routes. */
const eventually = async (probe: () => Promise<boolean>, what: string) => {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (await probe()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`never: ${what}`)
}

describe('realtime connections', () => {
  it('connects with an access token, is recorded under its user, and forgotten after it closes', async () => {
    const client = await connect(cloud, alice.accessToken)
    await eventually(async () => (await itemsOf(`user#${alice.sub}`)).length === 1, 'connection recorded')
    const [item] = await itemsOf(`user#${alice.sub}`)
    expect(Number(item?.expiresAt)).toBeGreaterThan(Date.now() / 1000 + 7000)
    await client.close()
    await eventually(async () => (await itemsOf(`user#${alice.sub}`)).length === 0, 'connection removed')
  })

  it.each([
    ['no token', () => undefined],
    ['a forged token', () => `${alice.accessToken.slice(0, -4)}AAAA`],
    ['an id token', () => alice.idToken],
    ['garbage', () => 'not-a-token'],
  ])('refuses %s (403)', async (_case, token) => {
    await expect(connect(cloud, token())).rejects.toThrow('refused: 403')
  })

  it('subscribes to a post and answers an error for a topic out of shape', async () => {
    const client = await connect(cloud, alice.accessToken)
    try {
      client.send({ action: 'subscribe', topic: 'post:hello-world' })
      expect(await client.next((message) => message.type === 'subscribed')).toMatchObject({
        topic: 'post:hello-world',
        id: expect.any(String),
      })
      await eventually(
        async () => (await itemsOf('topic#post:hello-world')).length > 0,
        'subscription recorded',
      )
      client.send({ action: 'subscribe', topic: 'job:someone-elses' })
      expect(await client.next((message) => message.type === 'error')).toMatchObject({
        id: expect.any(String),
      })
      // Every answer has a type and an id, also for an action no route takes ($default).
      client.send({ action: 'publish', topic: 'post:hello-world' })
      expect(
        await client.next(
          (message) => message.type === 'error' && /unknown action/.test(String(message.detail)),
        ),
      ).toMatchObject({
        id: expect.any(String),
      })
    } finally {
      await client.close()
    }
  })
})
