import { describe, expect, it } from 'vitest'
import { fakeTodoRepository } from '../../testing/fakes'
import { invoke } from '../../testing/invoke'
import { getTodoRoute } from './route'

describe('GET /todos/{id}', () => {
  const todos = fakeTodoRepository()
  const handler = getTodoRoute({ todos })
  const id = '01JDQ00000000000000000000A'
  const get = (sub: string, todoId = id) =>
    invoke(handler, { method: 'GET', path: `/todos/${todoId}`, sub, pathParameters: { id: todoId } })

  it('returns the todo to its owner and 404 to anyone else', async () => {
    await todos.create('alice', {
      id,
      title: 'Mine',
      status: 'open',
      version: 1,
      createdAt: '2026-11-22T10:00:00.000Z',
      updatedAt: '2026-11-22T10:00:00.000Z',
    })
    expect((await get('alice')).body.title).toBe('Mine')
    const other = await get('bob')
    expect(other.status).toBe(404)
    expect(other.headers['content-type']).toBe('application/problem+json')
  })

  it('answers 400 for an id that is not a ULID', async () => {
    expect((await get('alice', 'not-an-id')).body.errors[0].pointer).toBe('/path/id')
  })
})
