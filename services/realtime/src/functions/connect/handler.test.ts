import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { ENV, handlerUnderTest, routeEvent } from '../../testing/functions'

const { db, invoke } = await handlerUnderTest('connect', () => import('./handler'))

describe('connect handler', () => {
  it("records the authorizer's user's connection in the configured table, with a TTL", async () => {
    db.on(PutCommand).resolves({})
    const before = Math.floor(Date.now() / 1000)
    expect(await invoke(routeEvent('user-1', 'conn-1'))).toEqual({ statusCode: 200 })
    const put = db.commandCalls(PutCommand)[0]?.args[0].input
    expect(put?.TableName).toBe(ENV.CONNECTIONS_TABLE)
    expect(put?.Item).toMatchObject({ pk: 'user#user-1', sk: 'connection#conn-1' })
    expect(Number(put?.Item?.expiresAt)).toBeGreaterThanOrEqual(before + Number(ENV.CONNECTION_TTL_SECONDS))
  })

  it('refuses an event without an authorizer context (never records an anonymous connection)', async () => {
    db.reset()
    await expect(invoke({ requestContext: { connectionId: 'conn-2' } })).rejects.toThrow(/authorizer/)
    expect(db.commandCalls(PutCommand)).toEqual([])
  })
})
