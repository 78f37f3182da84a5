import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
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
