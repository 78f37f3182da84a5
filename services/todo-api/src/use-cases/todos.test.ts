import {
  GoneError,
  IdempotencyKeyReusedError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  ValidationError,
} from '@app/domain'
import type { Todo } from '@app/domain/todos'
import { createCursorCodec } from '@app/runtime/http'
import { describe, expect, it } from 'vitest'
import { fakeIdempotency, fakeTodoRepository, fixedClock, sequentialIds } from '../testing/fakes'
import { createTodo, deleteTodo, etagOf, getTodo, listTodoChanges, listTodos, updateTodo } from './todos'

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

describe('listTodoChanges', () => {
  it('feeds creates, edits and deletes oldest first, each todo once, in pages that resume', async () => {
    const { ports } = setup()
    const a = await createTodo(ports, 'alice', { title: 'A' })
    const b = await createTodo(ports, 'alice', { title: 'B' })
    const c = await createTodo(ports, 'alice', { title: 'C' })
    await createTodo(ports, 'bob', { title: 'not yours' })
    const start = await listTodoChanges(ports, 'alice', {})
    expect(start.changes.map((change) => change.id)).toEqual([a.id, b.id, c.id])
    expect(start.hasMore).toBe(false)

    const editedA = await updateTodo(ports, 'alice', a.id, { status: 'done' }, etagOf(a))
    await deleteTodo(ports, 'alice', b.id, undefined)
    const first = await listTodoChanges(ports, 'alice', { since: start.next, limit: 1 })
    expect(first).toMatchObject({ changes: [{ id: a.id, todo: editedA }], hasMore: true })
    const second = await listTodoChanges(ports, 'alice', { since: first.next, limit: 1 })
    expect(second).toMatchObject({ changes: [{ id: b.id, deleted: true }], hasMore: false })
    const idle = await listTodoChanges(ports, 'alice', { since: second.next })
    expect(idle).toMatchObject({ changes: [], hasMore: false })
  })

  it("refuses another user's token and an edited one (400 on since)", async () => {
    const { ports } = setup()
    const { next } = await listTodoChanges(ports, 'alice', {})
    for (const [sub, since] of [
      ['bob', next],
      ['alice', `${next}x`],
    ] as const) {
      const error = await listTodoChanges(ports, sub, { since }).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(ValidationError)
      expect((error as ValidationError).issues[0]?.pointer).toBe('/query/since')
    }
  })

  it('is Gone for a token older than 30 days, also for one issued mid-chain, but not at 30 days', async () => {
    const { ports, clock } = setup()
    for (let n = 0; n < 3; n++) await createTodo(ports, 'alice', { title: `T${n}` })
    const page = await listTodoChanges(ports, 'alice', { limit: 1 })
    clock.set('2026-12-20T10:00:00.000Z')
    // Mid-chain, the next page keeps the chain's first time: that is what its tombstones outlive.
    const later = await listTodoChanges(ports, 'alice', { since: page.next, limit: 1 })
    expect(later.hasMore).toBe(true)
    clock.set('2026-12-22T10:00:00.000Z')
    await expect(listTodoChanges(ports, 'alice', { since: later.next })).resolves.toBeDefined()
    clock.set('2026-12-22T10:00:00.001Z')
    await expect(listTodoChanges(ports, 'alice', { since: later.next })).rejects.toBeInstanceOf(GoneError)
  })
})

describe('412 bodies', () => {
  it('carry the current representation and its ETag, on PATCH and on DELETE', async () => {
    const { ports } = setup()
    const created = await createTodo(ports, 'alice', { title: 'v1' })
    const current = await updateTodo(ports, 'alice', created.id, { title: 'v2' }, etagOf(created))
    for (const attempt of [
      () => updateTodo(ports, 'alice', created.id, { title: 'offline edit' }, etagOf(created)),
      () => deleteTodo(ports, 'alice', created.id, etagOf(created)),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(PreconditionFailedError)
      expect((error as PreconditionFailedError).extensions).toEqual({ current, etag: etagOf(current) })
    }
  })

  it('re-read the todo when a write lands between the read and the conditional write', async () => {
    const { ports, todos } = setup()
    const created = await createTodo(ports, 'alice', { title: 'v1' })
    const racing = { ...created, title: 'raced', version: 2 }
    const replace = todos.replace.bind(todos)
    todos.replace = async (sub, todo, expected) => {
      await replace(sub, racing, expected)
      return replace(sub, todo, expected)
    }
    const error = await updateTodo(ports, 'alice', created.id, { title: 'mine' }, etagOf(created)).catch(
      (caught: unknown) => caught,
    )
    expect((error as PreconditionFailedError).extensions).toEqual({ current: racing, etag: etagOf(racing) })
  })
})

/**
 * With a read cache (DAX on), GET may serve a cached copy, but every If-Match is compared with the
 * table's latest version and every 412 reports it: a cached read there would refuse a client holding
 * the current ETag, or hand it a stale `current` to merge with.
 */
describe('reads behind a cache', () => {
  const missedWrite = (todos: ReturnType<typeof setup>['todos'], sub: string, todo: Todo) =>
    todos.rows.set(`${sub}|${todo.id}`, todo)

  it('GET may answer from the cache; PATCH and DELETE compare If-Match with the latest version', async () => {
    const { ports, todos } = setup()
    const created = await createTodo(ports, 'alice', { title: 'v1' })
    expect(await getTodo(ports, 'alice', created.id)).toEqual(created)
    const elsewhere = { ...created, title: 'v2 (not seen by the cache)', version: 2 }
    missedWrite(todos, 'alice', elsewhere)
    expect(await getTodo(ports, 'alice', created.id)).toEqual(created)

    const patched = await updateTodo(ports, 'alice', created.id, { status: 'done' }, etagOf(elsewhere))
    expect(patched).toMatchObject({ title: elsewhere.title, status: 'done', version: 3 })
    // The repository's own write kept the cache current (write-through).
    expect(await getTodo(ports, 'alice', created.id)).toEqual(patched)

    missedWrite(todos, 'alice', { ...patched, version: 4 })
    await deleteTodo(ports, 'alice', created.id, etagOf({ ...patched, version: 4 }))
    expect(todos.rows.size).toBe(0)
  })

  it("a 412 after a write in between carries the table's latest todo, not the cached one", async () => {
    const { ports, todos } = setup()
    const created = await createTodo(ports, 'alice', { title: 'v1' })
    await getTodo(ports, 'alice', created.id)
    const latest = { ...created, title: 'raced', version: 2 }
    const replace = todos.replace.bind(todos)
    todos.replace = async (sub, todo, expected) => {
      missedWrite(todos, sub, latest)
      return replace(sub, todo, expected)
    }
    const error = await updateTodo(ports, 'alice', created.id, { title: 'mine' }, etagOf(created)).catch(
      (caught: unknown) => caught,
    )
    expect((error as PreconditionFailedError).extensions).toEqual({ current: latest, etag: etagOf(latest) })
  })
})
