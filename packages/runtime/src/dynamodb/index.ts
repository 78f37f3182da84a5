import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { commonClientConfig as common } from '../aws/common'
import type { AwsEnv } from '../config'

// Its own entry point (`@app/runtime/dynamodb`): importing it loads no other SDK client, which a
// bundle with `@aws-sdk/*` external would otherwise evaluate at every cold start.
/** A plain DynamoDB client, for libraries that marshal themselves (e.g. Powertools idempotency). */
export const createDynamoDbClient = (env: AwsEnv): DynamoDBClient =>
  new DynamoDBClient(common(env, env.AWS_ENDPOINT_URL_DYNAMODB))

/** One DynamoDB document client per function, created at module scope. */
export const createDocumentClient = (
  env: AwsEnv,
  client: DynamoDBClient = createDynamoDbClient(env),
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  })

/**
 * True when DynamoDB refused a write because its `ConditionExpression` did not hold. By class, and
 * by name too: a service may bundle another copy of `@aws-sdk/client-dynamodb` than the one whose
 * client threw, and `instanceof` fails across copies.
 */
export const isConditionFailure = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException'

/**
 * Runs a conditional write (`send`): its output, or, when its condition does not hold, what
 * `onConditionFailed` returns or throws (a domain error such as ConflictError, or an outcome such as
 * `false`). Every other error propagates unchanged.
 */
export const conditionalWrite = async <T, F>(
  send: () => Promise<T>,
  onConditionFailed: (error: ConditionalCheckFailedException) => F,
): Promise<T | F> => {
  try {
    return await send()
  } catch (error) {
    if (isConditionFailure(error)) return onConditionFailed(error)
    throw error
  }
}
