import { describe, expect, it } from 'vitest'
import { fakeConnectionPoster, fakeConnectionRepository } from '../testing/fakes'
import { deliver } from './delivery'

const message = { type: 'todo.changed', id: 'event-1', todo: { id: 't1' } }

describe('deliver', () => {
  it("sends to every connection of the user and nobody else's", async () => {
    const connections = fakeConnectionRepository()
    await connections.add({ userId: 'alice', connectionId: 'a1' })
    await connections.add({ userId: 'alice', connectionId: 'a2' })
    await connections.add({ userId: 'bob', connectionId: 'b1' })
    const { poster, sent } = fakeConnectionPoster()
    expect(await deliver({ connections, poster }, { user: 'alice' }, message, { concurrency: 4 })).toEqual({
      sent: 2,
      gone: 0,
    })
    expect(sent.map((post) => post.connectionId).sort()).toEqual(['a1', 'a2'])
    expect(JSON.parse(sent[0]!.data)).toEqual(message)
  })

  it("sends a topic's message to its subscribers only", async () => {
    const connections = fakeConnectionRepository()
    await connections.add({ userId: 'alice', connectionId: 'a1' })
    await connections.add({ userId: 'bob', connectionId: 'b1' })
    await connections.subscribe({ userId: 'bob', connectionId: 'b1' }, 'post:hello')
    const { poster, sent } = fakeConnectionPoster()
    await deliver({ connections, poster }, { topic: 'post:hello' }, message, { concurrency: 4 })
    expect(sent.map((post) => post.connectionId)).toEqual(['b1'])
  })

  it('drops the message of a gone connection and removes the connection, once', async () => {
    const connections = fakeConnectionRepository()
    await connections.add({ userId: 'alice', connectionId: 'a1' })
    await connections.add({ userId: 'alice', connectionId: 'gone-1' })
    const { poster, sent } = fakeConnectionPoster({ gone: ['gone-1'] })
    expect(await deliver({ connections, poster }, { user: 'alice' }, message, { concurrency: 2 })).toEqual({
      sent: 1,
      gone: 1,
    })
    expect(connections.removed).toEqual([{ userId: 'alice', connectionId: 'gone-1' }])
    expect(sent.map((post) => post.connectionId)).toEqual(['a1'])
    // The next event no longer tries it.
    await deliver(
      { connections, poster },
      { user: 'alice' },
      { ...message, id: 'event-2' },
      { concurrency: 2 },
    )
    expect(connections.removed).toHaveLength(1)
  })

  it('throws after every other connection had its try when one fails (the event is redelivered)', async () => {
    const connections = fakeConnectionRepository()
    for (const id of ['a1', 'broken', 'a3']) await connections.add({ userId: 'alice', connectionId: id })
    const { poster, sent } = fakeConnectionPoster({ failing: ['broken'] })
    await expect(
      deliver({ connections, poster }, { user: 'alice' }, message, { concurrency: 1 }),
    ).rejects.toThrow(AggregateError)
    expect(sent.map((post) => post.connectionId).sort()).toEqual(['a1', 'a3'])
    expect(connections.removed).toEqual([])
  })

  it('posts in parallel, never more than `concurrency` at once', async () => {
    const connections = fakeConnectionRepository()
    for (let i = 0; i < 10; i += 1) await connections.add({ userId: 'alice', connectionId: `c${i}` })
    const fake = fakeConnectionPoster({ held: true })
    const delivery = deliver({ connections, poster: fake.poster }, { user: 'alice' }, message, {
      concurrency: 3,
    })
    // Let the pool fill, then release the held posts round by round.
    while (fake.sent.length < 10) {
      await new Promise((resolve) => setImmediate(resolve))
      fake.release()
    }
    expect(await delivery).toEqual({ sent: 10, gone: 0 })
    expect(fake.maxInFlight()).toBe(3)
  })
})
