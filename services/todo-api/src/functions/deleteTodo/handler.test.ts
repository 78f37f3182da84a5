import { describe, expect, it } from 'vitest'
import { fakeTodoRepository } from '../../testing/fakes'
import { invoke } from '../../testing/invoke'
import { deleteTodoRoute } from './route'

describe('DELETE /todos/{id}', () => {
  it('204 for the owner, 404 for anyone else and afterwards', async () => {
    const todos = fakeTodoRepository()
    const handler = deleteTodoRoute({ todos })
    const id = '01JDQ00000000000000000000A'
    await todos.create('alice', {
      id,
      title: 'Bye',
      status: 'open',
      version: 1,
      createdAt: '2026-11-22T10:00:00.000Z',
      updatedAt: '2026-11-22T10:00:00.000Z',
    })
    const remove = (sub: string) =>
      invoke(handler, { method: 'DELETE', path: `/todos/${id}`, sub, pathParameters: { id } })
    expect((await remove('bob')).status).toBe(404)
    expect((await remove('alice')).status).toBe(204)
    expect((await remove('alice')).status).toBe(404)
  })
})
