import { createCursorCodec } from '@app/runtime/http'
import { describe, expect, it } from 'vitest'
import { fakeTodoRepository } from '../../testing/fakes'
import { invoke } from '../../testing/invoke'
import { listTodosRoute } from './route'

const todo = (id: string, status: 'open' | 'done' = 'open') => ({
  id,
  title: id,
  status,
  version: 1,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:00:00.000Z',
})

describe('GET /todos', () => {
  const todos = fakeTodoRepository()
  const handler = listTodosRoute({ todos, cursors: createCursorCodec('s'.repeat(32)) })
  const list = (query: Record<string, string> | null, headers: Record<string, string> = {}, sub = 'alice') =>
    invoke(handler, { method: 'GET', path: '/todos', sub, query, headers })

  it("lists only the caller's todos with a private, revalidated cache policy and a 304 on a match", async () => {
    await todos.create('alice', todo('A1'))
    await todos.create('bob', todo('B1'))
    const page = await list(null)
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual(['A1'])
    expect(page.headers['cache-control']).toBe('private, no-cache')
    expect((await list(null, { 'If-None-Match': String(page.headers.etag) })).status).toBe(304)
  })

  it('validates the query precisely', async () => {
    for (const [query, pointer] of [
      [{ limit: '0' }, '/query/limit'],
      [{ limit: '101' }, '/query/limit'],
      [{ limit: '1e2' }, '/query/limit'],
      [{ status: 'archived' }, '/query/status'],
      [{ sort: 'asc' }, '/query'],
      [{ cursor: 'forged.cursor' }, '/query/cursor'],
    ] as const) {
      const response = await list(query)
      expect(response.status, JSON.stringify(query)).toBe(400)
      expect(response.body.errors[0].pointer).toBe(pointer)
    }
  })
})
