import { describe, expect, it } from 'vitest'
import { fakeIdempotency, fakeTodoRepository, fixedClock, sequentialIds } from '../../testing/fakes'
import { invoke } from '../../testing/invoke'
import { createTodoRoute } from './route'

const setup = () => {
  const todos = fakeTodoRepository()
  const handler = createTodoRoute({
    todos,
    clock: fixedClock(),
    ids: sequentialIds(),
    idempotency: fakeIdempotency(),
  })
  return {
    todos,
    post: (request: Omit<Parameters<typeof invoke>[1], 'method' | 'path'>) =>
      invoke(handler, { method: 'POST', path: '/todos', ...request }),
  }
}

describe('POST /todos', () => {
  it('answers 201 with Location and ETag', async () => {
    const { post, todos } = setup()
    const response = await post({ sub: 'alice', json: { title: 'Buy milk', dueDate: '2026-12-24' } })
    expect(response.status).toBe(201)
    expect(response.headers.location).toBe(`/todos/${response.body.id}`)
    expect(response.headers.etag).toMatch(/^"[\w-]+"$/)
    expect(todos.rows.size).toBe(1)
  })

  it('rejects without a principal (401), unknown fields, bad dates and bad keys (400), storing nothing', async () => {
    const { post, todos } = setup()
    expect((await post({ json: { title: 'x' } })).status).toBe(401)
    const unknown = await post({ sub: 'alice', json: { title: 'x', owner: 'bob' } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.errors).toEqual([expect.objectContaining({ pointer: '/body' })])
    expect(
      (await post({ sub: 'alice', json: { title: 'x', dueDate: '2026-02-30' } })).body.errors[0].pointer,
    ).toBe('/body/dueDate')
    const badKey = await post({
      sub: 'alice',
      json: { title: 'x' },
      headers: { 'Idempotency-Key': 'has space' },
    })
    expect(badKey.status).toBe(400)
    expect(badKey.body.errors[0].pointer).toBe('/headers/idempotency-key')
    expect(todos.rows.size).toBe(0)
  })

  it('replays the first response for the same Idempotency-Key and body; 422 for another body', async () => {
    const { post, todos } = setup()
    const headers = { 'Idempotency-Key': '4a1f6f0e-3c1b-4a57-9d7e-0d4b0b0f5e11' }
    const first = await post({ sub: 'alice', json: { title: 'Once' }, headers })
    const second = await post({ sub: 'alice', json: { title: 'Once' }, headers })
    expect(second).toEqual(first)
    const other = await post({ sub: 'alice', json: { title: 'Other' }, headers })
    expect(other.status).toBe(422)
    expect(todos.rows.size).toBe(1)
  })
})
