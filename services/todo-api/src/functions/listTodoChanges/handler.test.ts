import { createCursorCodec } from '@app/runtime/http'
import { describe, expect, it } from 'vitest'
import { fakeTodoRepository, fixedClock } from '../../testing/fakes'
import { invoke } from '../../testing/invoke'
import { listTodoChangesRoute } from './route'

describe('GET /todos/changes', () => {
  const todos = fakeTodoRepository()
  const clock = fixedClock('2026-11-22T10:00:00.000Z')
  const handler = listTodoChangesRoute({ todos, cursors: createCursorCodec('s'.repeat(32)), clock })
  const changes = (query: Record<string, string> | null, sub = 'alice') =>
    invoke(handler, { method: 'GET', path: '/todos/changes', sub, query })
  const todo = (id: string) => ({
    id,
    title: id,
    status: 'open' as const,
    version: 1,
    createdAt: '2026-11-22T10:00:00.000Z',
    updatedAt: '2026-11-22T10:00:00.000Z',
  })

  it("feeds only the caller's changes, is never cached, and refuses another user's token", async () => {
    await todos.create('alice', todo('01JDQ00000000000000000000A'))
    await todos.create('bob', todo('01JDQ00000000000000000000B'))
    const first = await changes(null)
    expect(first.status).toBe(200)
    expect(first.headers['cache-control']).toBe('private, no-store')
    expect(first.body.changes.map((change: { id: string }) => change.id)).toEqual([
      '01JDQ00000000000000000000A',
    ])
    const replayed = await changes({ since: first.body.next }, 'bob')
    expect(replayed.status).toBe(400)
    expect(replayed.body.errors[0].pointer).toBe('/query/since')
  })

  it('answers 410 problem+json to a token older than the retention window', async () => {
    const { body } = await changes(null)
    clock.set('2026-12-23T10:00:00.000Z')
    const gone = await changes({ since: body.next })
    expect(gone.status).toBe(410)
    expect(gone.headers['content-type']).toBe('application/problem+json')
  })

  it('validates the query precisely', async () => {
    for (const [query, pointer] of [
      [{ limit: '0' }, '/query/limit'],
      [{ limit: '501' }, '/query/limit'],
      [{ cursor: 'x' }, '/query'],
      [{ since: 'forged.token' }, '/query/since'],
    ] as const) {
      const response = await changes(query)
      expect(response.status, JSON.stringify(query)).toBe(400)
      expect(response.body.errors[0].pointer).toBe(pointer)
    }
  })
})
