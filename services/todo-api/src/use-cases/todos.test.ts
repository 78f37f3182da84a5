import {
  IdempotencyKeyReusedError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  ValidationError,
} from '@app/domain'
import { createCursorCodec } from '@app/runtime/http'
import { describe, expect, it } from 'vitest'
import { fakeIdempotency, fakeTodoRepository, fixedClock, sequentialIds } from '../testing/fakes'
import { createTodo, deleteTodo, etagOf, getTodo, listTodos, updateTodo } from './todos'

const setup = () => {
  const todos = fakeTodoRepository()
  const clock = fixedClock()
  return {
    todos,
    clock,
    ports: {
      todos,
      clock,
      ids: sequentialIds(),
      idempotency: fakeIdempotency(),
      cursors: createCursorCodec('k'.repeat(32)),
    },
  }
}

describe('createTodo', () => {
  it('stores version 1 under the caller and returns the view', async () => {
    const { ports, todos } = setup()
    const todo = await createTodo(ports, 'alice', { title: 'Buy milk' })
    expect(todo).toEqual({
      id: expect.any(String),
      title: 'Buy milk',
      status: 'open',
      version: 1,
      createdAt: '2026-11-22T10:00:00.000Z',
      updatedAt: '2026-11-22T10:00:00.000Z',
    })
    expect(await todos.get('alice', todo.id)).toEqual(todo)
    expect(await todos.get('bob', todo.id)).toBeUndefined()
  })

  it('with an Idempotency-Key: a retry returns the first todo, a different body is refused', async () => {
    const { ports, todos } = setup()
    const first = await createTodo(ports, 'alice', { title: 'Once' }, { idempotencyKey: 'k1' })
    const again = await createTodo(ports, 'alice', { title: 'Once' }, { idempotencyKey: 'k1' })
    expect(again).toEqual(first)
    expect(todos.rows.size).toBe(1)
    await expect(
      createTodo(ports, 'alice', { title: 'Twice' }, { idempotencyKey: 'k1' }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError)
    const bobs = await createTodo(ports, 'bob', { title: 'Once' }, { idempotencyKey: 'k1' })
    expect(bobs.id).not.toBe(first.id)
    expect(todos.rows.size).toBe(2)
  })
})

describe('getTodo', () => {
  it('is not found for another user', async () => {
    const { ports } = setup()
    const todo = await createTodo(ports, 'alice', { title: 'Mine' })
    expect(await getTodo(ports, 'alice', todo.id)).toEqual(todo)
    await expect(getTodo(ports, 'bob', todo.id)).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('listTodos', () => {
  it('pages newest first with cursors bound to the user and filter', async () => {
    const { ports } = setup()
    const created = []
    for (const title of ['a', 'b', 'c', 'd', 'e']) created.push(await createTodo(ports, 'alice', { title }))
    const first = await listTodos(ports, 'alice', { limit: 2 })
    expect(first.items.map((todo) => todo.title)).toEqual(['e', 'd'])
    const second = await listTodos(ports, 'alice', { limit: 2, cursor: first.nextCursor })
    expect(second.items.map((todo) => todo.title)).toEqual(['c', 'b'])
    const third = await listTodos(ports, 'alice', { limit: 2, cursor: second.nextCursor })
    expect(third.items.map((todo) => todo.title)).toEqual(['a'])
    expect(third.nextCursor).toBeUndefined()
    await expect(listTodos(ports, 'bob', { limit: 2, cursor: first.nextCursor })).rejects.toBeInstanceOf(
      ValidationError,
    )
    await expect(
      listTodos(ports, 'alice', { limit: 2, status: 'open', cursor: first.nextCursor }),
    ).rejects.toBeInstanceOf(ValidationError)
  })

  it('filters by status and defaults to 20 per page', async () => {
    const { ports } = setup()
    for (let index = 0; index < 25; index++)
      await createTodo(ports, 'alice', { title: `t${index}`, status: index === 3 ? 'done' : 'open' })
    expect((await listTodos(ports, 'alice', {})).items).toHaveLength(20)
    expect((await listTodos(ports, 'alice', { status: 'done' })).items.map((todo) => todo.title)).toEqual([
      't3',
    ])
  })
})

describe('updateTodo', () => {
  it('needs If-Match (428), refuses a stale one (412), applies a current one', async () => {
    const { ports, clock } = setup()
    const todo = await createTodo(ports, 'alice', { title: 'Draft', notes: 'n', dueDate: '2026-12-24' })
    await expect(updateTodo(ports, 'alice', todo.id, { title: 'x' }, undefined)).rejects.toBeInstanceOf(
      PreconditionRequiredError,
    )
    clock.set('2026-11-22T11:00:00.000Z')
    const updated = await updateTodo(ports, 'alice', todo.id, { status: 'done', notes: null }, etagOf(todo))
    expect(updated).toMatchObject({
      status: 'done',
      version: 2,
      dueDate: '2026-12-24',
      updatedAt: '2026-11-22T11:00:00.000Z',
    })
    expect(updated).not.toHaveProperty('notes')
    await expect(updateTodo(ports, 'alice', todo.id, { title: 'Lost' }, etagOf(todo))).rejects.toBeInstanceOf(
      PreconditionFailedError,
    )
    expect(await updateTodo(ports, 'alice', todo.id, { title: 'Any' }, '*')).toMatchObject({
      title: 'Any',
      version: 3,
    })
  })

  it('is not found for another user, even with the right ETag or *', async () => {
    const { ports } = setup()
    const todo = await createTodo(ports, 'alice', { title: 'Mine' })
    await expect(updateTodo(ports, 'bob', todo.id, { title: 'x' }, etagOf(todo))).rejects.toBeInstanceOf(
      NotFoundError,
    )
    await expect(updateTodo(ports, 'bob', todo.id, { title: 'x' }, '*')).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('deleteTodo', () => {
  it('deletes; a stale If-Match is 412; another user gets 404', async () => {
    const { ports, todos } = setup()
    const todo = await createTodo(ports, 'alice', { title: 'Bye' })
    await expect(deleteTodo(ports, 'bob', todo.id, undefined)).rejects.toBeInstanceOf(NotFoundError)
    await expect(deleteTodo(ports, 'alice', todo.id, '"stale"')).rejects.toBeInstanceOf(
      PreconditionFailedError,
    )
    await deleteTodo(ports, 'alice', todo.id, etagOf(todo))
    expect(todos.rows.size).toBe(0)
    await expect(deleteTodo(ports, 'alice', todo.id, undefined)).rejects.toBeInstanceOf(NotFoundError)
  })
})
