import { ConflictError, IdempotencyKeyReusedError } from '@app/domain'
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { Idempotency } from '../ports'

/**
 * `Idempotency` on Powertools' DynamoDB persistence layer. The record key hashes the user's `sub`
 * together with the client's Idempotency-Key, so two users choosing the same key never collide and
 * one user can never replay another's response. The payload hash (Powertools' payload validation)
 * turns "same key, different body" into IdempotencyKeyReusedError (422); a duplicate arriving while
 * the first is still running is a ConflictError (409, retry later). Chosen over a hand-written
 * conditional write because Powertools already handles the in-progress/expiry/crash cases.
 */
export const createPowertoolsIdempotency = (options: {
  client: DynamoDBClient
  tableName: string
  /** Distinguishes the operations sharing the table, e.g. `todo-api.createTodo`. */
  keyPrefix: string
  expiresAfterSeconds: number
}): Idempotency => {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.client,
  })
  return {
    async once(scope, payload, work, { remainingTimeInMillis } = {}) {
      const config = new IdempotencyConfig({
        eventKeyJmesPath: '[sub, key]',
        payloadValidationJmesPath: 'payload',
        expiresAfterSeconds: options.expiresAfterSeconds,
        throwOnNoIdempotencyKey: true,
      })
      // With the remaining time known, a record left "in progress" by a crashed invocation expires
      // with that invocation instead of blocking the key until the record's TTL.
      if (remainingTimeInMillis)
        config.registerLambdaContext({ getRemainingTimeInMillis: remainingTimeInMillis } as never)
      const run = makeIdempotent(async (_request: { sub: string; key: string; payload: unknown }) => work(), {
        persistenceStore,
        config,
        keyPrefix: options.keyPrefix,
      })
      try {
        return await run({ sub: scope.sub, key: scope.key, payload })
      } catch (error) {
        const name = (error as Error | undefined)?.name
        if (name === 'IdempotencyValidationError')
          throw new IdempotencyKeyReusedError(
            'This Idempotency-Key was already used with a different request body; use a new key for a new request',
            { cause: error },
          )
        if (name === 'IdempotencyAlreadyInProgressError')
          throw new ConflictError(
            'A request with this Idempotency-Key is still being processed; retry shortly',
            {
              cause: error,
            },
          )
        throw error
      }
    },
  }
}
