import { createHash } from 'node:crypto'
import { ConflictError, IdempotencyKeyReusedError } from '@app/domain'
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { Idempotency } from '../ports'

/**
 * `Idempotency` as one DynamoDB record per (user, Idempotency-Key), written with conditional writes.
 *
 * It replaces `@aws-lambda-powertools/idempotency` in the createTodo bundle: that library brings a
 * JMESPath engine (~40 KB minified with its own code) for the one expression `[sub, key]`, which
 * kept createTodo above the 150 KB budget. The protocol and the record layout are Powertools' own
 * (DynamoDBPersistenceLayer defaults, md5/base64 hashes of the deep-sorted JSON), so records
 * written by either implementation are honoured by the other across a deploy, and the table
 * (`id` key, `expiration` TTL) is unchanged:
 *
 * 1. Put `INPROGRESS` unless a live record exists (absent, expired, or in progress past the
 *    in-progress expiry of a crashed invocation).
 * 2. The put failed: the existing record decides. Another payload hash is IdempotencyKeyReusedError
 *    (422), `INPROGRESS` is ConflictError (409, retry), `COMPLETED` returns the stored result
 *    without running `work`; a record that expired meanwhile is raced for again (twice at most).
 * 3. `work` failed: the record is deleted so a retry runs again; it succeeded: `COMPLETED` + result.
 */
export const createDynamoDbIdempotency = (options: {
  db: DynamoDBDocumentClient
  tableName: string
  /** Distinguishes the operations sharing the table, e.g. `todo-api.createTodo`. */
  keyPrefix: string
  expiresAfterSeconds: number
  now?: () => number
}): Idempotency => {
  const { db, tableName, keyPrefix, expiresAfterSeconds } = options
  const now = options.now ?? Date.now
  const expiry = () => Math.round(now() / 1000 + expiresAfterSeconds)

  return {
    async once(scope, payload, work, { remainingTimeInMillis } = {}) {
      const id = idempotencyRecordKey(keyPrefix, scope)
      const validation = payloadHash(payload)
      for (let attempt = 0; ; attempt++) {
        const existing = await putInProgress(id, validation, remainingTimeInMillis?.())
        if (!existing) break
        if (existing.validation !== validation)
          throw new IdempotencyKeyReusedError(
            'This Idempotency-Key was already used with a different request body; use a new key for a new request',
          )
        const expired = typeof existing.expiration === 'number' && now() / 1000 > existing.expiration
        if (expired && attempt < MAX_RETRIES) continue
        if (existing.status === 'COMPLETED' && !expired) return existing.data as never
        throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly')
      }
      let result: Awaited<ReturnType<typeof work>>
      try {
        result = await work()
      } catch (error) {
        await db.send(new DeleteCommand({ TableName: tableName, Key: { id } }))
        throw error
      }
      await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id },
          UpdateExpression:
            'SET #expiry = :expiry, #status = :status, #data = :data, #validation = :validation',
          ExpressionAttributeNames: {
            '#expiry': 'expiration',
            '#status': 'status',
            '#data': 'data',
            '#validation': 'validation',
          },
          ExpressionAttributeValues: {
            ':expiry': expiry(),
            ':status': 'COMPLETED',
            ':data': result,
            ':validation': validation,
          },
        }),
      )
      return result
    },
  }

  /** Undefined when this call now owns the key; otherwise the record that is in the way. */
  async function putInProgress(
    id: string,
    validation: string,
    remainingMs: number | undefined,
  ): Promise<IdempotencyRecord | undefined> {
    const at = now()
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            id,
            expiration: expiry(),
            status: 'INPROGRESS',
            validation,
            // With the remaining time known, a record left in progress by a crashed invocation
            // expires with that invocation instead of blocking the key until `expiration`.
            ...(remainingMs ? { in_progress_expiration: at + remainingMs } : {}),
          },
          ConditionExpression:
            'attribute_not_exists(#id) OR #expiry < :now OR ' +
            '(#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
          ExpressionAttributeNames: {
            '#id': 'id',
            '#expiry': 'expiration',
            '#in_progress_expiry': 'in_progress_expiration',
            '#status': 'status',
          },
          ExpressionAttributeValues: { ':now': at / 1000, ':now_in_millis': at, ':inprogress': 'INPROGRESS' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      return undefined
    } catch (error) {
      if (!isConditionFailure(error)) throw error
      // The document client does not unmarshall the old image an exception carries.
      const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item
      if (old) return unmarshall(old) as IdempotencyRecord
      // No old image (it expired and was removed in between): read it, or race again if gone.
      const { Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }),
      )
      return (Item as IdempotencyRecord | undefined) ?? { id, status: 'EXPIRED', expiration: 0, validation }
    }
  }
}

const MAX_RETRIES = 2

interface IdempotencyRecord {
  id: string
  status: 'INPROGRESS' | 'COMPLETED' | 'EXPIRED'
  expiration?: number
  in_progress_expiration?: number
  validation?: string
  data?: unknown
}

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException'

/** Powertools' `deepSort`: object keys ordered case-insensitively at every depth, arrays kept. */
const deepSort = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(deepSort)
  if (Object.prototype.toString.call(value) !== '[object Object]') return value
  const record = value as Record<string, unknown>
  return Object.fromEntries(
    Object.keys(record)
      .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
      .map((key) => [key, deepSort(record[key])]),
  )
}

const md5 = (value: unknown) =>
  createHash('md5')
    .update(JSON.stringify(deepSort(value)) ?? 'undefined')
    .digest('base64')

/**
 * The record key: the prefix and a hash of `[sub, key]` (Powertools' `eventKeyJmesPath: '[sub, key]'`),
 * so equal keys of two users never meet.
 */
export const idempotencyRecordKey = (keyPrefix: string, scope: { sub: string; key: string }) =>
  `${keyPrefix}#${md5([scope.sub, scope.key])}`

/** What "the same request" means for a replay: the hash of the validated body. */
export const payloadHash = (payload: unknown) => md5(payload)
