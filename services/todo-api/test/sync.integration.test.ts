/**
 * Offline sync, as a property (fast-check): any sequence of creates, edits and deletes, with a client
 * syncing at random points (in pages of random size), leaves a client that applies the change feed
 * holding exactly the server's list. Runs the use cases over the real DynamoDB adapter on DynamoDB
 * Local: the sequence counter transaction, the tombstones and the byChange index as deployed.
 * SYNC_RUNS overrides the number of sequences (default 8; each is up to 20 steps).
 */

import { randomUUID } from 'node:crypto'
import type { Todo } from '@app/domain/todos'
import { localClients } from '@app/local-cloud/clients'
import { useFunctionEnv } from '@app/local-cloud/testing'
import { createCursorCodec } from '@app/runtime/http'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createDynamoDbTodoRepository } from '../src/adapters/dynamodb-todo-repository'
import { systemClock } from '../src/adapters/system-clock'
import { dynamoDbTable } from '../src/adapters/todo-tables'
import { ulidGenerator } from '../src/adapters/ulid-ids'
import type { TodoRepository } from '../src/ports'
import { fakeIdempotency } from '../src/testing/fakes'
import {
  createTodo,
  deleteTodo,
  etagOf,
  listTodoChanges,
  listTodos,
  updateTodo,
} from '../src/use-cases/todos'

const cloud = useFunctionEnv({ TODOS_TABLE: 'todo-api-local-todos' })
const todos: TodoRepository = createDynamoDbTodoRepository(
  { direct: dynamoDbTable(localClients(cloud).db) },
  'todo-api-local-todos',
)
const ports = {
  todos,
  clock: systemClock,
  ids: ulidGenerator(),
  idempotency: fakeIdempotency(),
  cursors: createCursorCodec('sync-property-test-signing-key-0123456789'),
}

/** A device: its copy of the list and its token; `sync` applies every page until the feed is drained. */
const device = (sub: string) => {
  const held = new Map<string, Todo>()
  let token: string | undefined
  return {
    held,
    async sync(limit?: number) {
      for (;;) {
        const page = await listTodoChanges(ports, sub, {
          ...(token ? { since: token } : {}),
          ...(limit ? { limit } : {}),
        })
        for (const change of page.changes)
          if ('deleted' in change) held.delete(change.id)
          else held.set(change.id, change.todo)
        token = page.next
        if (!page.hasMore) return
      }
    },
  }
}

const serverList = async (sub: string) => {
  const all: Todo[] = []
  let cursor: string | undefined
  do {
    const page = await listTodos(ports, sub, { limit: 100, ...(cursor ? { cursor } : {}) })
    all.push(...page.items)
    cursor = page.nextCursor
  } while (cursor)
  return new Map(all.map((todo) => [todo.id, todo]))
}

type Op =
  | { kind: 'create'; title: string }
  | { kind: 'edit'; pick: number; title: string }
  | { kind: 'toggle'; pick: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'sync'; limit: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      title: fc.string({ minLength: 1, maxLength: 20 }).filter((t) => t.trim().length > 0),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      pick: fc.nat(),
      title: fc.constantFrom('a', 'b', 'c'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('toggle' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('sync' as const), limit: fc.integer({ min: 1, max: 4 }) }),
  },
)

describe('offline sync converges', () => {
  it('a client applying the feed at random sync points holds the server list', {
    timeout: 240_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
        const sub = randomUUID()
        const client = device(sub)
        const live: Todo[] = []
        const pickOf = (pick: number) => live[pick % live.length]
        for (const step of ops) {
          if (step.kind === 'create') live.push(await createTodo(ports, sub, { title: step.title }))
          else if (step.kind === 'sync') await client.sync(step.limit)
          else if (live.length > 0) {
            const target = pickOf(step.pick)!
            const index = live.indexOf(target)
            if (step.kind === 'delete') {
              await deleteTodo(ports, sub, target.id, etagOf(target))
              live.splice(index, 1)
            } else {
              const patch =
                step.kind === 'edit'
                  ? { title: step.title }
                  : { status: target.status === 'open' ? ('done' as const) : ('open' as const) }
              live[index] = await updateTodo(ports, sub, target.id, patch, etagOf(target))
            }
          }
        }
        await client.sync(3)
        expect(client.held).toEqual(await serverList(sub))
      }),
      { numRuns: Number(process.env.SYNC_RUNS ?? 8) },
    )
  })
})
