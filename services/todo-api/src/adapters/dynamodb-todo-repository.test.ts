import { NotFoundError, PreconditionFailedError } from '@app/domain'
import { createTodo } from '@app/domain/todos'
import { describe, expect, it } from 'vitest'
import { createDynamoDbTodoRepository, keys } from './dynamodb-todo-repository'
import type { TableClient, TodoTables } from './todo-tables'

/**
 * Which client each repository call goes to, with DAX and without. The clients here are in-memory
 * tables (the real DynamoDB behaviour is covered against DynamoDB Local in test/*.integration.test.ts);
 * what matters is the routing: a strongly consistent read on the cache, or a write around it, would
 * be a stale ETag or a stale item cache in production, and neither shows against DynamoDB Local.
 */
type Call = { client: 'direct' | 'cache'; op: string; consistent?: boolean; index?: string }

const table = (name: Call['client'], calls: Call[], items: Map<string, Record<string, unknown>>) => {
  const client: TableClient = {
    async get(input) {
      calls.push({ client: name, op: 'get', consistent: input.ConsistentRead === true })
      const item = items.get(`${input.Key?.PK}|${input.Key?.SK}`)
      return { Item: item, $metadata: {} }
    },
    async query(input) {
      calls.push({ client: name, op: 'query', ...(input.IndexName ? { index: input.IndexName } : {}) })
      return {
        Items: [...items.values()].filter((item) => String(item.SK).startsWith('TODO#')),
        $metadata: {},
      }
    },
    async transactWrite(input) {
      calls.push({ client: name, op: 'transactWrite' })
      for (const part of input.TransactItems ?? []) {
        if (part.Put?.Item) items.set(`${part.Put.Item.PK}|${part.Put.Item.SK}`, part.Put.Item)
        if (part.Delete?.Key) items.delete(`${part.Delete.Key.PK}|${part.Delete.Key.SK}`)
      }
      return { $metadata: {} }
    },
  }
  return client
}

const setup = (withCache: boolean) => {
  const calls: Call[] = []
  const items = new Map<string, Record<string, unknown>>()
  const tables: TodoTables = {
    direct: table('direct', calls, items),
    ...(withCache ? { cache: table('cache', calls, items) } : {}),
  }
  return { calls, items, todos: createDynamoDbTodoRepository(tables, 'todos', () => 0) }
}

const todo = createTodo({ title: 'Milk' }, '01JDQ000000000000000000001', new Date('2026-12-01T00:00:00Z'))

describe('the DynamoDB todo repository, without DAX (DynamoDB Local and every off stage)', () => {
  it('reads and writes DynamoDB only; a GET is strongly consistent as before', async () => {
    const { calls, todos } = setup(false)
    await todos.create('alice', todo)
    expect(await todos.get('alice', todo.id)).toEqual(todo)
    await todos.list('alice', { limit: 5 })
    await todos.changes('alice', { after: 0, limit: 5 })
    expect(calls).toEqual([
      { client: 'direct', op: 'get', consistent: true },
      { client: 'direct', op: 'transactWrite' },
      { client: 'direct', op: 'get', consistent: true },
      { client: 'direct', op: 'query' },
      { client: 'direct', op: 'query', index: 'byChange' },
    ])
  })
})

describe('the DynamoDB todo repository, with DAX', () => {
  it('writes through DAX and takes the sequence number from DynamoDB, strongly consistent', async () => {
    const { calls, todos } = setup(true)
    await todos.create('alice', todo)
    await todos.replace('alice', { ...todo, title: 'Oat milk', version: 2 }, 1)
    await todos.remove('alice', todo.id, 2)
    expect(calls).toEqual(
      Array.from({ length: 3 }, () => [
        { client: 'direct', op: 'get', consistent: true },
        { client: 'cache', op: 'transactWrite' },
      ]).flat(),
    )
  })

  it('serves GET and list pages from DAX, `latest` and the change feed from DynamoDB', async () => {
    const { calls, todos } = setup(true)
    await todos.create('alice', todo)
    calls.length = 0
    expect(await todos.get('alice', todo.id)).toEqual(todo)
    expect(await todos.get('alice', todo.id, { latest: true })).toEqual(todo)
    expect((await todos.list('alice', { limit: 5 })).items).toEqual([todo])
    await todos.changes('alice', { after: 0, limit: 5 })
    expect(calls).toEqual([
      { client: 'cache', op: 'get', consistent: false },
      { client: 'direct', op: 'get', consistent: true },
      { client: 'cache', op: 'query' },
      { client: 'direct', op: 'query', index: 'byChange' },
    ])
  })

  /** lib-dax's DaxServiceError: the reasons under `cancellationReasons`, the error named plain `Error`. */
  const daxCancellation = (reasons: unknown[]) =>
    Object.assign(new Error('TransactionCanceledException: Transaction cancelled'), {
      code: 'TransactionCanceledException',
      cancellationReasons: reasons,
    })

  it("maps DAX's transaction cancellations like DynamoDB's: stale is 412, gone is 404, a lost number retries", async () => {
    const { todos, items } = setup(true)
    const refusing = (reasons: unknown[][]) => {
      const todosWithCache = createDynamoDbTodoRepository(
        {
          direct: {
            get: async () => ({ Item: items.get(`${keys.pk('alice')}|SEQ`), $metadata: {} }),
            query: async () => ({ Items: [], $metadata: {} }),
            transactWrite: async () => ({ $metadata: {} }),
          },
          cache: {
            get: async () => ({ $metadata: {} }),
            query: async () => ({ Items: [], $metadata: {} }),
            async transactWrite() {
              const next = reasons.shift()
              if (next) throw daxCancellation(next)
              return { $metadata: {} }
            },
          },
        },
        'todos',
      )
      return todosWithCache
    }
    await todos.create('alice', todo)
    const none = { Code: 'None', Item: null }
    await expect(
      refusing([[none, { Code: 'ConditionalCheckFailed', Item: { PK: { S: 'x' } } }]]).replace(
        'alice',
        todo,
        1,
      ),
    ).rejects.toBeInstanceOf(PreconditionFailedError)
    await expect(
      refusing([[none, { Code: 'ConditionalCheckFailed', Item: null }]]).replace('alice', todo, 1),
    ).rejects.toBeInstanceOf(NotFoundError)
    // Another write took the number first: retried, then it succeeds.
    await expect(
      refusing([[{ Code: 'ConditionalCheckFailed', Item: null }, none]]).replace('alice', todo, 1),
    ).resolves.toBeUndefined()
  })
})
