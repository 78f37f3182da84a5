import { NotFoundError, PreconditionFailedError, ValidationError } from '@app/domain'
import type { Todo, TodoStatus } from '@app/domain/todos'
import { conditionalWrite } from '@app/runtime/dynamodb'
import type { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb'
import type { PageKey, TodoRepository } from '../ports'

/**
 * Key design (see serverless/resources.yml): everything of a user lives in partition `USER#<sub>`,
 * so every request is a key lookup or a Query inside the caller's partition; there is no Scan.
 *   base table: PK `USER#<sub>`, SK `TODO#<ulid>` -> newest first by reading the sort key backwards
 *   byStatus:   GSI1PK `USER#<sub>#<status>`, GSI1SK `TODO#<ulid>` -> one status, newest first
 */
export const keys = {
  pk: (sub: string) => `USER#${sub}`,
  sk: (id: string) => `TODO#${id}`,
  gsi1pk: (sub: string, status: TodoStatus) => `USER#${sub}#${status}`,
}

export const STATUS_INDEX = 'byStatus'

interface TodoItem extends Todo {
  PK: string
  SK: string
  GSI1PK: string
  GSI1SK: string
}

const toItem = (sub: string, todo: Todo): TodoItem => ({
  PK: keys.pk(sub),
  SK: keys.sk(todo.id),
  GSI1PK: keys.gsi1pk(sub, todo.status),
  GSI1SK: keys.sk(todo.id),
  ...todo,
})

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
const missingOrStale = (error: ConditionalCheckFailedException): never => {
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

export const createDynamoDbTodoRepository = (
  db: DynamoDBDocumentClient,
  tableName: string,
): TodoRepository => ({
  async create(sub, todo) {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: toItem(sub, todo),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    )
  },

  async get(sub, id) {
    // Strongly consistent: a client reads right after it writes and then sends If-Match with what
    // it read; a stale read there would only cost the client a needless 412 round trip.
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: { PK: keys.pk(sub), SK: keys.sk(id) },
        ConsistentRead: true,
      }),
    )
    return Item ? fromItem(Item) : undefined
  },

  async list(sub, { status, limit, after }) {
    const start = checkAfter(after, sub, status)
    // One more than asked tells whether another page exists, so the last page has no cursor and
    // clients never fetch an empty page. Eventually consistent: a page is a snapshot anyway.
    const { Items = [] } = await db.send(
      new QueryCommand({
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
      }),
    )
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
    await conditionalWrite(
      () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: toItem(sub, todo),
            ConditionExpression: 'attribute_exists(PK) AND version = :expected',
            ExpressionAttributeValues: { ':expected': expectedVersion },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      missingOrStale,
    )
  },

  async remove(sub, id, expectedVersion) {
    await conditionalWrite(
      () =>
        db.send(
          new DeleteCommand({
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
          }),
        ),
      missingOrStale,
    )
  },
})
