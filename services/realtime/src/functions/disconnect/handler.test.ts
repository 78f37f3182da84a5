import { BatchWriteCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { ENV, handlerUnderTest, routeEvent } from '../../testing/functions'

const { db, invoke } = await handlerUnderTest('disconnect', () => import('./handler'))

describe('disconnect handler', () => {
  it('deletes the connection and each of its subscriptions', async () => {
    db.on(DeleteCommand).resolves({ Attributes: { topics: new Set(['post:a', 'post:b']) } })
    db.on(BatchWriteCommand).resolves({})
    expect(await invoke(routeEvent('user-1', 'conn-1'))).toEqual({ statusCode: 200 })
    expect(db.commandCalls(DeleteCommand)[0]?.args[0].input).toMatchObject({
      TableName: ENV.CONNECTIONS_TABLE,
      Key: { pk: 'user#user-1', sk: 'connection#conn-1' },
    })
    expect(
      db.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.[ENV.CONNECTIONS_TABLE],
    ).toEqual([
      { DeleteRequest: { Key: { pk: 'topic#post:a', sk: 'connection#conn-1' } } },
      { DeleteRequest: { Key: { pk: 'topic#post:b', sk: 'connection#conn-1' } } },
    ])
  })
})
