import { describe, expect, it } from 'vitest'
import { type ChangeRecord, todoEvents } from './events'

const todo = {
  id: '01JDQ00000000000000000000A',
  title: 'Buy milk',
  status: 'open',
  version: 2,
  createdAt: '2026-11-22T10:00:00.000Z',
  updatedAt: '2026-11-22T10:05:00.000Z',
}
const record = (eventName: ChangeRecord['eventName'], newImage?: Record<string, unknown>): ChangeRecord => ({
  eventId: 'e1',
  eventName,
  newImage,
})

describe('todoEvents', () => {
  it('a todo written: todo.changed to its owner, without the keys', () => {
    expect(
      todoEvents(
        record('MODIFY', {
          PK: 'USER#alice',
          SK: `TODO#${todo.id}`,
          GSI1PK: 'USER#alice#open',
          CHSK: 9,
          ...todo,
        }),
      ),
    ).toEqual([{ audience: { user: 'alice' }, message: { type: 'todo.changed', id: 'e1', todo, seq: 9 } }])
  })

  it('a tombstone created: todo.deleted to its owner', () => {
    expect(
      todoEvents(
        record('INSERT', { PK: 'USER#alice', SK: `TOMB#${todo.id}`, id: todo.id, deleted: true, CHSK: 10 }),
      ),
    ).toEqual([
      { audience: { user: 'alice' }, message: { type: 'todo.deleted', id: 'e1', todoId: todo.id, seq: 10 } },
    ])
  })

  it.each([
    ['the sequence counter', record('MODIFY', { PK: 'USER#alice', SK: 'SEQ', seq: 3 })],
    ['a removal (the tombstone says it)', record('REMOVE')],
    [
      'a partition that is not a user',
      record('INSERT', { PK: 'USER#alice#open', SK: `TODO#${todo.id}`, ...todo }),
    ],
    ['an item that is not a todo', record('INSERT', { PK: 'USER#alice', SK: 'TODO#x', title: 'no id' })],
  ])('says nothing for %s', (_case, input) => {
    expect(todoEvents(input)).toEqual([])
  })
})
