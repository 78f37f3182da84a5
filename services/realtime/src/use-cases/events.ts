import type { Audience, ServerMessage } from '@app/domain/realtime'
import { todoSchema } from '@app/domain/todos'

/** A table stream record, its images unmarshalled (the consumer's edge does that). */
export interface ChangeRecord {
  /** The stream record's `eventID`: the same on every redelivery, so the message's `id`. */
  readonly eventId: string
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE'
  readonly newImage?: Record<string, unknown> | undefined
  readonly oldImage?: Record<string, unknown> | undefined
}

export interface Outgoing {
  readonly audience: Audience
  readonly message: ServerMessage
}

const userOf = (pk: unknown): string | undefined =>
  typeof pk === 'string' && pk.startsWith('USER#') && !pk.slice(5).includes('#') ? pk.slice(5) : undefined

/**
 * todo-api's todos table (keys: services/todo-api/src/adapters/dynamodb-todo-repository.ts): a todo
 * item written (`TODO#<id>`: created or changed) -> `todo.changed` with the todo; a tombstone
 * written (`TOMB#<id>`: the delete's transaction writes it with the todo's removal) ->
 * `todo.deleted`. Both go to all of the owner's connections: a REST write does not know which
 * socket (if any) its device holds, so the writing device hears its own change too and recognises
 * it by `todo.version` (or `seq`, the user's change sequence of GET /todos/changes). The todo
 * item's own REMOVE (the tombstone says it), tombstones expiring and the sequence counter say nothing.
 */
export const todoEvents = (record: ChangeRecord): Outgoing[] => {
  const image = record.newImage
  if (record.eventName === 'REMOVE' || !image) return []
  const user = userOf(image.PK)
  const sk = typeof image.SK === 'string' ? image.SK : ''
  if (!user) return []
  const seq = typeof image.CHSK === 'number' ? image.CHSK : undefined
  if (sk.startsWith('TODO#')) {
    const todo = todoSchema.safeParse(image)
    if (!todo.success) return []
    return [
      { audience: { user }, message: { type: 'todo.changed', id: record.eventId, todo: todo.data, seq } },
    ]
  }
  if (sk.startsWith('TOMB#') && record.eventName === 'INSERT')
    return [
      {
        audience: { user },
        message: { type: 'todo.deleted', id: record.eventId, todoId: sk.slice('TOMB#'.length), seq },
      },
    ]
  return []
}
