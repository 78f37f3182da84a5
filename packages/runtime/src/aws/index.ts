import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { ConfiguredRetryStrategy } from '@smithy/util-retry'
import type { AwsEnv } from '../config'

/**
 * Exponential back-off with full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog):
 * a random delay in [0, min(cap, base * 2^attempt)]. The SDK's standard strategy already jitters,
 * but its base is fixed; ours is explicit so throttling tests can reason about it.
 */
export const backoffWithFullJitter =
  (baseMs = 50, capMs = 5_000, random: () => number = Math.random) =>
  (attempt: number): number =>
    Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt))

export const retryStrategy = (env: Pick<AwsEnv, 'AWS_MAX_ATTEMPTS'>) =>
  new ConfiguredRetryStrategy(env.AWS_MAX_ATTEMPTS, backoffWithFullJitter())

const common = (env: AwsEnv, endpoint: string | undefined) => ({
  region: env.AWS_REGION,
  retryStrategy: retryStrategy(env),
  ...(endpoint ? { endpoint } : {}),
})

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

/** One S3 client per function. Path-style only against a local stand-in (s3rver). */
export const createS3Client = (env: AwsEnv): S3Client =>
  new S3Client({
    ...common(env, env.AWS_ENDPOINT_URL_S3),
    forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3),
    // Without this, presigned PUT URLs carry a checksum of an empty body that real S3 rejects.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
