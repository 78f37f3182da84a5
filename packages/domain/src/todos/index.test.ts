import { describe, expect, it } from 'vitest'
import { PreconditionFailedError } from '../errors'
import {
  applyPatch,
  assertIfMatch,
  createTodo,
  listTodosQuerySchema,
  newTodoSchema,
  type Todo,
  todoIdSchema,
  todoPatchSchema,
  toTodoView,
} from './index'

const now = new Date('2026-11-22T10:00:00.000Z')

describe('newTodoSchema', () => {
  it('trims the title and accepts the optional fields', () => {
    expect(
      newTodoSchema.parse({ title: '  Buy milk  ', notes: 'two', dueDate: '2026-12-24', status: 'done' }),
    ).toEqual({
      title: 'Buy milk',
      notes: 'two',
      dueDate: '2026-12-24',
      status: 'done',
    })
  })

  it.each([
    [{}, 'title'],
    [{ title: '   ' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ title: 'bell\u0007' }, 'title'],
    [{ title: 'line\nbreak' }, 'title'],
    [{ title: 7 }, 'title'],
    [{ title: 'ok', dueDate: '2026-02-30' }, 'dueDate'],
    [{ title: 'ok', dueDate: '2026-12-24T10:00:00Z' }, 'dueDate'],
    [{ title: 'ok', status: 'archived' }, 'status'],
    [{ title: 'ok', notes: 'n'.repeat(2001) }, 'notes'],
    [{ title: 'ok', id: 'mine' }, ''],
  ])('rejects %j at %s', (input, field) => {
    const result = newTodoSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.path.join('/')).toBe(field)
  })
})

describe('todoPatchSchema', () => {
  it('allows null to clear optional fields and refuses an empty patch', () => {
    expect(todoPatchSchema.parse({ notes: null, dueDate: null })).toEqual({ notes: null, dueDate: null })
    expect(todoPatchSchema.safeParse({}).success).toBe(false)
    expect(todoPatchSchema.safeParse({ title: null }).success).toBe(false)
    expect(todoPatchSchema.safeParse({ version: 2 }).success).toBe(false)
  })
})

describe('listTodosQuerySchema', () => {
  it('takes limit as plain digits in 1..100', () => {
    expect(listTodosQuerySchema.parse({ limit: '100' })).toEqual({ limit: 100 })
    expect(listTodosQuerySchema.parse({ limit: '007' })).toEqual({ limit: 7 })
    for (const limit of ['0', '101', '-1', '1e2', ' 5', '0x10', '', '1.5'])
      expect(listTodosQuerySchema.safeParse({ limit }).success, limit).toBe(false)
    expect(listTodosQuerySchema.safeParse({ order: 'asc' }).success).toBe(false)
  })
})

describe('todoIdSchema', () => {
  it('accepts ULIDs only', () => {
    expect(todoIdSchema.safeParse('01ARZ3NDEKTSV4RRFFQ69G5FAV').success).toBe(true)
    for (const id of [
      '01ARZ3NDEKTSV4RRFFQ69G5FA',
      '01arz3ndektsv4rrffq69g5fav',
      'IIIIIIIIIIIIIIIIIIIIIIIIII',
      '../x',
    ])
      expect(todoIdSchema.safeParse(id).success, id).toBe(false)
  })
})

describe('createTodo and applyPatch', () => {
  const todo = createTodo({ title: 'Draft', notes: 'n', dueDate: '2026-12-24' }, 'ID', now)

  it('creates version 1, open by default', () => {
    expect(todo).toEqual({
      id: 'ID',
      title: 'Draft',
      notes: 'n',
      dueDate: '2026-12-24',
      status: 'open',
      version: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    })
  })

  it('applies a patch one version later, clearing with null, keeping createdAt', () => {
    const later = new Date('2026-11-23T00:00:00.000Z')
    const next = applyPatch(todo, { status: 'done', notes: null }, later)
    expect(next).toEqual({
      ...todo,
      status: 'done',
      version: 2,
      updatedAt: later.toISOString(),
      notes: undefined,
    })
    expect('notes' in next).toBe(false)
    expect(todo.version).toBe(1)
  })
})

describe('toTodoView', () => {
  it('serialises with a fixed field order, whatever order the input had', () => {
    const shuffled = Object.fromEntries(
      Object.entries(createTodo({ title: 'A' }, 'ID', now)).reverse(),
    ) as Todo
    expect(JSON.stringify(toTodoView(shuffled))).toBe(
      JSON.stringify(toTodoView(createTodo({ title: 'A' }, 'ID', now))),
    )
  })
})

describe('assertIfMatch', () => {
  it('passes the current tag, a list containing it, and *', () => {
    expect(() => assertIfMatch('"abc"', '"abc"')).not.toThrow()
    expect(() => assertIfMatch('"x", "abc"', '"abc"')).not.toThrow()
    expect(() => assertIfMatch('*', '"abc"')).not.toThrow()
  })
  it('fails stale and weak tags', () => {
    expect(() => assertIfMatch('"old"', '"abc"')).toThrow(PreconditionFailedError)
    expect(() => assertIfMatch('W/"abc"', '"abc"')).toThrow(PreconditionFailedError)
  })
})
