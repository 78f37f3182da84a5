import { lambdaContext, loadWithEnv, streamEvent, streamRecord } from '@app/runtime/testing'
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { ENV } from '../../testing/functions'

const db = mockClient(DynamoDBDocumentClient)
const api = mockClient(ApiGatewayManagementApiClient)
const { handler } = await loadWithEnv(() => import('./handler'), ENV)

const todo = {
  id: '01JDQ00000000000000000000A',
  title: 'Buy milk',
  status: 'open',
  version: 1,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
}
const key = ['PK', 'SK']
const written = streamRecord(
  {
    PK: 'USER#alice',
    SK: `TODO#${todo.id}`,
    CHPK: 'USER#alice',
    CHSK: 7,
    GSI1PK: 'USER#alice#open',
    ...todo,
  },
  { key },
)

describe('onTodoChange handler', () => {
  beforeEach(() => {
    db.reset()
    api.reset()
  })

  it('posts the change to every connection of the owner, found in the configured table, at the configured endpoint', async () => {
    db.on(QueryCommand).resolves({ Items: [{ sk: 'connection#c1' }, { sk: 'connection#c2' }] })
    api.on(PostToConnectionCommand).resolves({})
    expect(await handler(streamEvent([written]), lambdaContext('onTodoChange'))).toEqual({
      batchItemFailures: [],
    })
    expect(db.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: ENV.CONNECTIONS_TABLE,
      ExpressionAttributeValues: { ':pk': 'user#alice' },
    })
    const posts = api.commandCalls(PostToConnectionCommand).map((call) => call.args[0].input)
    expect(posts.map((post) => post.ConnectionId).sort()).toEqual(['c1', 'c2'])
    expect(JSON.parse(String(posts[0]?.Data))).toEqual({
      type: 'todo.changed',
      id: written.eventID,
      todo,
      seq: 7,
    })
    expect(await api.call(0).thisValue.config.endpoint?.()).toMatchObject({
      hostname: 'api-id.execute-api.us-east-1.amazonaws.com',
      path: '/test',
    })
  })

  it('a redelivered record (a retried batch) posts the same message again, same id: the client dedupes on it', async () => {
    db.on(QueryCommand).resolves({ Items: [{ sk: 'connection#c1' }] })
    api.on(PostToConnectionCommand).resolves({})
    await handler(streamEvent([written]), lambdaContext('onTodoChange'))
    await handler(streamEvent([written]), lambdaContext('onTodoChange'))
    const [first, second] = api
      .commandCalls(PostToConnectionCommand)
      .map((call) => JSON.parse(String(call.args[0].input.Data)))
    expect(second).toEqual(first)
    expect(first.id).toBe(written.eventID)
  })

  it('removes a gone connection and reports the record done; any other failure reports it failed (retried)', async () => {
    db.on(QueryCommand).resolves({ Items: [{ sk: 'connection#gone' }] })
    db.on(DeleteCommand).resolves({})
    db.on(BatchWriteCommand).resolves({})
    api
      .on(PostToConnectionCommand)
      .rejects(new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } }))
    expect(await handler(streamEvent([written]), lambdaContext('onTodoChange'))).toEqual({
      batchItemFailures: [],
    })
    expect(db.commandCalls(DeleteCommand)[0]?.args[0].input.Key).toEqual({
      pk: 'user#alice',
      sk: 'connection#gone',
    })

    api
      .on(PostToConnectionCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'TooManyRequestsException' }))
    const second = streamRecord({ PK: 'USER#alice', SK: `TODO#${todo.id}`, ...todo }, { key })
    await expect(handler(streamEvent([second]), lambdaContext('onTodoChange'))).rejects.toThrow()
  })
})
