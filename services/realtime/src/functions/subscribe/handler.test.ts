import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { beforeEach, describe, expect, it } from 'vitest'
import { ENV, handlerUnderTest, routeEvent } from '../../testing/functions'

const { db, invoke } = await handlerUnderTest('subscribe', () => import('./handler'))

describe('subscribe handler', () => {
  beforeEach(() => db.reset())

  it("adds the topic to the connection and writes the topic's subscription item, and says so", async () => {
    db.on(UpdateCommand).resolves({ Attributes: { expiresAt: 1_900_000_000 } })
    db.on(PutCommand).resolves({})
    const result = (await invoke(
      routeEvent('user-1', 'conn-1', { action: 'subscribe', topic: 'post:hello' }),
    )) as {
      statusCode: number
      body: string
    }
    expect(result.statusCode).toBe(200)
    expect(JSON.parse(result.body)).toEqual({ type: 'subscribed', id: 'message-1', topic: 'post:hello' })
    expect(db.commandCalls(UpdateCommand)[0]?.args[0].input).toMatchObject({
      TableName: ENV.CONNECTIONS_TABLE,
      Key: { pk: 'user#user-1', sk: 'connection#conn-1' },
      ConditionExpression: 'attribute_exists(pk)',
    })
    expect(db.commandCalls(PutCommand)[0]?.args[0].input.Item).toEqual({
      pk: 'topic#post:hello',
      sk: 'connection#conn-1',
      userId: 'user-1',
      expiresAt: 1_900_000_000,
    })
  })

  it.each([
    ['a topic that is not a post', { action: 'subscribe', topic: 'job:123' }],
    ['a slug out of shape', { action: 'subscribe', topic: 'post:Not A Slug' }],
    ['no topic', { action: 'subscribe' }],
    ['no JSON at all', 'subscribe please'],
  ])('answers an error message for %s, writing nothing', async (_case, body) => {
    const result = (await invoke(routeEvent('user-1', 'conn-1', body))) as {
      statusCode: number
      body: string
    }
    expect(result.statusCode).toBe(400)
    expect(JSON.parse(result.body)).toMatchObject({ type: 'error', id: 'message-1' })
    expect(db.calls()).toEqual([])
  })

  it('answers an error when the connection is no longer recorded (expired)', async () => {
    db.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))
    const result = (await invoke(
      routeEvent('user-1', 'conn-1', { action: 'subscribe', topic: 'post:x' }),
    )) as {
      body: string
    }
    expect(JSON.parse(result.body)).toMatchObject({
      type: 'error',
      detail: expect.stringMatching(/reconnect/),
    })
    expect(db.commandCalls(PutCommand)).toEqual([])
  })
})
