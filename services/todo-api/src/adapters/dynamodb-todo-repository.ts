import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '@app/domain'
import { CHANGE_RETENTION_DAYS, type Todo, type TodoStatus } from '@app/domain/todos'
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import type { PageKey, SequencedChange, TodoRepository } from '../ports'
import type { TodoTables } from './todo-tables'

/**
 * Key design (see serverless/resources.yml): everything of a user lives in partition `USER#<sub>`,
 * so every request is a key lookup or a Query inside the caller's partition; there is no Scan.
 *   base table: PK `USER#<sub>`, SK `TODO#<ulid>` -> newest first by reading the sort key backwards
 *   byStatus:   GSI1PK `USER#<sub>#<status>`, GSI1SK `TODO#<ulid>` -> one status, newest first
 *   byChange:   CHPK `USER#<sub>`, CHSK <seq> -> the user's change feed, oldest first (sync)
 * Change feed: every write takes the next number of the user's sequence (item SK `SEQ`) in the same
 * transaction as the todo itself, conditioned on the number it read, so numbers are unique and follow
 * commit order. The todo item carries its latest number; a delete leaves a tombstone (SK
 * `TOMB#<ulid>`, TTL `expiresAt`) that carries it instead. One feed entry per todo: replaying is
 * harmless, and a client that applies the feed in order ends up with the server's list.
 */
export const keys = {
  pk: (sub: string) => `USER#${sub}`,
  sk: (id: string) => `TODO#${id}`,
  gsi1pk: (sub: string, status: TodoStatus) => `USER#${sub}#${status}`,
  tombstone: (id: string) => `TOMB#${id}`,
  sequence: 'SEQ',
}

export const STATUS_INDEX = 'byStatus'
export const CHANGE_INDEX = 'byChange'

/** Attempts at taking the next sequence number while other writes of the same user take it first. */
const SEQUENCE_ATTEMPTS = 5

interface TodoItem extends Todo {
  PK: string
  SK: string
  GSI1PK: string
  GSI1SK: string
  CHPK: string
  CHSK: number
  changedAt: number
}

const toItem = (sub: string, todo: Todo, seq: number, changedAt: number): TodoItem => ({
  PK: keys.pk(sub),
  SK: keys.sk(todo.id),
  GSI1PK: keys.gsi1pk(sub, todo.status),
  GSI1SK: keys.sk(todo.id),
  CHPK: keys.pk(sub),
  CHSK: seq,
  changedAt,
  ...todo,
})

type CancellationReason = { Code?: string; Item?: unknown } | undefined

/**
 * The transaction's refusals, by item position; undefined for any other error. DynamoDB's SDK names
 * the error TransactionCanceledException with `CancellationReasons`; lib-dax throws a
 * DaxServiceError carrying the same reasons as `cancellationReasons` (its `name` is plain `Error`).
 */
const cancellationReasons = (error: unknown): CancellationReason[] | undefined => {
  if (!(error instanceof Error)) return undefined
  if (error.name === 'TransactionCanceledException')
    return (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? []
  const dax = (error as { cancellationReasons?: unknown }).cancellationReasons
  return Array.isArray(dax) ? (dax as CancellationReason[]) : undefined
}

/**
 * The todo in an item, field by field: the keys stay behind (a stale GSI1PK must never travel back
 * into a write), and named fields copy ~10x faster than an object rest, which shows on list pages.
 */
const fromItem = (item: Record<string, unknown>): Todo => {
  const stored = item as unknown as Todo
  const todo: Todo = {
    id: stored.id,
    title: stored.title,
    status: stored.status,
    version: stored.version,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  }
  if (stored.notes !== undefined) todo.notes = stored.notes
  if (stored.dueDate !== undefined) todo.dueDate = stored.dueDate
  return todo
}

/** A refused replace/remove: the todo is gone (no old item came back), or its version moved on. */
const missingOrStale = (error: { Item?: unknown }): never => {
  if (!error.Item) throw new NotFoundError('No such todo', { cause: error })
  throw new PreconditionFailedError('The todo changed since you read it: GET it again and retry', {
    cause: error,
  })
}

/**
 * A page key must be one this repository produced for this user and index: the cursor's signature
 * already guarantees that, and this check keeps it true even if the signing secret leaked.
 */
const checkAfter = (after: PageKey | undefined, sub: string, status: TodoStatus | undefined) => {
  if (!after) return undefined
  const expected = status ? ['PK', 'SK', 'GSI1PK', 'GSI1SK'] : ['PK', 'SK']
  const names = Object.keys(after).sort()
  const valid =
    names.length === expected.length &&
    expected.every((name) => typeof after[name] === 'string' && names.includes(name)) &&
    after.PK === keys.pk(sub) &&
    (!status || after.GSI1PK === keys.gsi1pk(sub, status))
  if (!valid)
    throw new ValidationError('Invalid cursor', [
      { pointer: '/query/cursor', detail: 'not for this listing' },
    ])
  return after
}

/**
 * Reads and writes are routed by what they need (see TodoTables): with a DAX cluster, writes and
 * the display reads (GET /todos/{id}, list pages) go through it, while the sequence counter, the
 * read before a conditional write (`latest`) and the change feed read DynamoDB directly. Without
 * one, everything reads DynamoDB exactly as before: `get` strongly consistent, lists eventually.
 */
export const createDynamoDbTodoRepository = (
  tables: TodoTables,
  tableName: string,
  now: () => number = Date.now,
): TodoRepository => {
  type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>
  const { direct } = tables
  // Write-through: a write that bypassed DAX would leave its item cache stale for the item TTL.
  const writes = tables.cache ?? direct
  const displayReads = tables.cache ?? direct
  /**
   * Runs `parts(seq)` in one transaction with taking `seq`, the user's next sequence number. A lost
   * race for the number is retried; a refused part (index >= 1) goes to `refused` with its old item.
   */
  const sequenced = async (
    sub: string,
    parts: (seq: number, changedAt: number) => TransactItems,
    refused: (part: { Item?: unknown }) => never,
  ): Promise<void> => {
    const counter = { PK: keys.pk(sub), SK: keys.sequence }
    for (let attempt = 1; attempt <= SEQUENCE_ATTEMPTS; attempt++) {
      // The number the transaction conditions on: only DynamoDB's latest will do.
      const { Item } = await direct.get({
        TableName: tableName,
        Key: counter,
        ConsistentRead: true,
        ProjectionExpression: 'seq',
      })
      const current = typeof Item?.seq === 'number' ? Item.seq : 0
      try {
        await writes.transactWrite({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: { ...counter, seq: current + 1 },
                ...(current === 0
                  ? { ConditionExpression: 'attribute_not_exists(PK)' }
                  : {
                      ConditionExpression: 'seq = :current',
                      ExpressionAttributeValues: { ':current': current },
                    }),
              },
            },
            ...parts(current + 1, now()),
          ],
        })
        return
      } catch (error) {
        const reasons = cancellationReasons(error)
        if (!reasons) throw error
        // The todo's own condition decides first: a stale version stays stale whoever took the number.
        const part = reasons.findIndex(
          (reason, index) => index > 0 && reason?.Code === 'ConditionalCheckFailed',
        )
        if (part > 0) refused(reasons[part] ?? {})
        if (reasons[0]?.Code !== 'ConditionalCheckFailed') throw error
      }
    }
    throw new ConflictError('Too many concurrent changes to your todos: retry')
  }

  const put = (
    sub: string,
    todo: Todo,
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
  ) =>
    sequenced(
      sub,
      (seq, changedAt) => [
        {
          Put: {
            TableName: tableName,
            Item: toItem(sub, todo, seq, changedAt),
            ...condition,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
      missingOrStale,
    )

  return {
    async create(sub, todo) {
      await put(sub, todo, { ConditionExpression: 'attribute_not_exists(PK)' })
    },

    async get(sub, id, options) {
      const Key = { PK: keys.pk(sub), SK: keys.sk(id) }
      // From DAX's item cache when there is one (current after our own writes: write-through).
      // Otherwise, and always for `latest`, strongly consistent: a client reads right after it
      // writes and then sends If-Match with what it read; a stale read would cost it a needless 412.
      const { Item } =
        tables.cache && !options?.latest
          ? await tables.cache.get({ TableName: tableName, Key })
          : await direct.get({ TableName: tableName, Key, ConsistentRead: true })
      return Item ? fromItem(Item) : undefined
    },
    async list(sub, { status, limit, after }) {
      const start = checkAfter(after, sub, status)
      // One more than asked tells whether another page exists, so the last page has no cursor and
      // clients never fetch an empty page. Eventually consistent: a page is a snapshot anyway.
      // With DAX, from its query cache: not invalidated by writes, hence its short TTL (README).
      const { Items = [] } = await displayReads.query({
        TableName: tableName,
        ...(status
          ? {
              IndexName: STATUS_INDEX,
              KeyConditionExpression: 'GSI1PK = :pk',
              ExpressionAttributeValues: { ':pk': keys.gsi1pk(sub, status) },
            }
          : {
              KeyConditionExpression: 'PK = :pk AND begins_with(SK, :todo)',
              ExpressionAttributeValues: { ':pk': keys.pk(sub), ':todo': 'TODO#' },
            }),
        ScanIndexForward: false,
        Limit: limit + 1,
        ...(start ? { ExclusiveStartKey: start } : {}),
      })
      const items = Items.slice(0, limit)
      const last = items.at(-1)
      const next =
        Items.length > limit && last
          ? status
            ? { PK: last.PK, SK: last.SK, GSI1PK: last.GSI1PK, GSI1SK: last.GSI1SK }
            : { PK: last.PK, SK: last.SK }
          : undefined
      return { items: items.map(fromItem), ...(next ? { next } : {}) }
    },

    async replace(sub, todo, expectedVersion) {
      await put(sub, todo, {
        ConditionExpression: 'attribute_exists(PK) AND version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      })
    },

    async remove(sub, id, expectedVersion) {
      await sequenced(
        sub,
        (seq, changedAt) => [
          {
            Delete: {
              TableName: tableName,
              Key: { PK: keys.pk(sub), SK: keys.sk(id) },
              ConditionExpression:
                expectedVersion === undefined
                  ? 'attribute_exists(PK)'
                  : 'attribute_exists(PK) AND version = :expected',
              ...(expectedVersion === undefined
                ? {}
                : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          {
            // The tombstone outlives the retention window by a day: TTL deletes lag, never lead.
            Put: {
              TableName: tableName,
              Item: {
                PK: keys.pk(sub),
                SK: keys.tombstone(id),
                id,
                deleted: true,
                CHPK: keys.pk(sub),
                CHSK: seq,
                changedAt,
                expiresAt: Math.ceil(changedAt / 1000) + (CHANGE_RETENTION_DAYS + 1) * 86_400,
              },
            },
          },
        ],
        missingOrStale,
      )
    },

    async changes(sub, { after, limit }) {
      // Eventually consistent (GSIs have no other mode): see README "Offline sync" for the window.
      // Never from DAX: a cached feed page would hide writes for the query TTL from a syncing device.
      const { Items = [] } = await direct.query({
        TableName: tableName,
        IndexName: CHANGE_INDEX,
        KeyConditionExpression: 'CHPK = :pk AND CHSK > :after',
        ExpressionAttributeValues: { ':pk': keys.pk(sub), ':after': after },
        ScanIndexForward: true,
        Limit: limit + 1,
      })
      const changes = Items.slice(0, limit).map(
        (item): SequencedChange =>
          item.deleted === true
            ? { id: String(item.id), deleted: true, seq: Number(item.CHSK) }
            : { id: String(item.id), todo: fromItem(item), seq: Number(item.CHSK) },
      )
      return { changes, more: Items.length > limit }
    },
  }
}
