import { describe, expect, it } from 'vitest'
import { fakeTodoRepository, fixedClock } from '../../testing/fakes'
import { invoke } from '../../testing/invoke'
import { etagOf } from '../../use-cases/todos'
import { updateTodoRoute } from './route'

describe('PATCH /todos/{id}', () => {
  const todos = fakeTodoRepository()
  const handler = updateTodoRoute({ todos, clock: fixedClock() })
  const id = '01JDQ00000000000000000000A'
  const original = {
    id,
    title: 'Draft',
    status: 'open' as const,
    version: 1,
    createdAt: '2026-11-22T09:00:00.000Z',
    updatedAt: '2026-11-22T09:00:00.000Z',
  }
  const patch = (json: unknown, headers: Record<string, string>, sub = 'alice') =>
    invoke(handler, { method: 'PATCH', path: `/todos/${id}`, sub, pathParameters: { id }, json, headers })

  it('428 without If-Match, 200 with the current ETag (new ETag back), 412 when stale', async () => {
    await todos.create('alice', original)
    expect((await patch({ status: 'done' }, {})).status).toBe(428)
    const ok = await patch({ status: 'done' }, { 'If-Match': etagOf(original) })
    expect(ok.status).toBe(200)
    expect(ok.body.version).toBe(2)
    expect(ok.headers.etag).toBe(etagOf(ok.body))
    expect((await patch({ title: 'Lost' }, { 'If-Match': etagOf(original) })).status).toBe(412)
    expect((await patch({ title: 'Weak' }, { 'If-Match': `W/${String(ok.headers.etag)}` })).status).toBe(412)
  })

  it('rejects empty and unknown changes, and another user gets 404', async () => {
    expect((await patch({}, { 'If-Match': '*' })).status).toBe(400)
    expect((await patch({ version: 9 }, { 'If-Match': '*' })).status).toBe(400)
    expect((await patch({ title: 'Mine' }, { 'If-Match': '*' }, 'bob')).status).toBe(404)
  })
})
