import { createHash } from 'node:crypto'
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import * as z from 'zod'
import { commonClientConfig } from '../aws/common'
import type { AwsEnv } from '../config'
import { awsEnvSchema } from '../config'
import { logger } from '../observability'

/**
 * Per-user API Gateway usage plans (README of todo-api, "Per-user usage plans"). With the REST API's
 * `apiKeySource: AUTHORIZER` the TOKEN authorizer names the caller's API key (`usageIdentifierKey`);
 * a key API Gateway does not find in a plan of the stage answers 403, so the authorizer names a
 * user's own key only once the provisioner has put it in the plan and written the user's marker,
 * and until then the stack's shared newcomer key (a stricter plan) while it asks for provisioning.
 */

/**
 * A user's API key value on a stage: hex SHA-256 of stage and sub (64 characters, within API Gateway's
 * 20-128). Not a secret: with key source AUTHORIZER clients never present a key (an `x-api-key`
 * header is ignored), the value only names the caller's counter, so an HMAC key in Secrets Manager
 * would buy nothing. The same value in every service of the stage: one key per user, in each
 * service's plan (10,000 keys per account and region).
 */
export const usageKeyValue = (stage: string, sub: string): string =>
  createHash('sha256').update(`${stage}\n${sub}`).digest('hex')

/** The API key's name: how a provisioner finds a key another service of the stage created first. */
export const usageKeyName = (stage: string, sub: string): string => `${stage}/${sub}`

/** Which users' keys are in this service's plan (written by the provisioner, read by the authorizer). */
export interface UsageKeyMarkers {
  has(sub: string): Promise<boolean>
  put(sub: string, keyId: string): Promise<void>
}

/** Asks for a user's key to be provisioned (the provisioner's queue). */
export interface UsageKeyRequests {
  request(sub: string): Promise<void>
}

export interface UsageKeyChooserOptions {
  readonly stage: string
  /** The value of the stack's newcomer key (declared with its plan in serverless.yml). */
  readonly newcomerKey: string
  readonly markers: UsageKeyMarkers
  readonly requests: UsageKeyRequests
}

/**
 * The key the authorizer returns for a verified user: its own once its marker exists, otherwise the
 * newcomer key, having asked for the user's own. Never refuses: a failing marker read or request
 * is logged and the user goes on the newcomer plan (the next authorizer cache miss tries again).
 */
export const usageKeyChooser =
  (options: UsageKeyChooserOptions) =>
  async (sub: string): Promise<string> => {
    try {
      if (await options.markers.has(sub)) return usageKeyValue(options.stage, sub)
    } catch (error) {
      logger.warn('Usage key marker unreadable: newcomer key', { error })
      return options.newcomerKey
    }
    try {
      await options.requests.request(sub)
    } catch (error) {
      logger.warn('Usage key request failed: newcomer key', { error })
    }
    return options.newcomerKey
  }

/** The body of a provisioning request: the user's sub. */
export const usageKeyRequestSchema = z.object({ sub: z.string().min(1).max(128) })

/** DynamoDB markers: one item per user, `sub` its partition key. */
export const dynamoDbUsageKeyMarkers = (db: DynamoDBDocumentClient, table: string): UsageKeyMarkers => ({
  has: async (sub) => {
    const { Item } = await db.send(
      new GetCommand({
        TableName: table,
        Key: { sub },
        ProjectionExpression: '#s',
        ExpressionAttributeNames: { '#s': 'sub' },
      }),
    )
    return Item !== undefined
  },
  // The provisioner's write (the authorizers' roles hold GetItem only).
  put: async (sub, keyId) => {
    await db.send(new PutCommand({ TableName: table, Item: { sub, keyId } }))
  },
})

/** SQS requests: `{ "sub": ... }` on the provisioner's queue. */
export const sqsUsageKeyRequests = (sqs: SQSClient, queueUrl: string): UsageKeyRequests => ({
  request: async (sub) => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ sub }) }))
  },
})

/** One SQS client per function. */
export const createSqsClient = (env: AwsEnv): SQSClient => new SQSClient(commonClientConfig(env, undefined))

/**
 * The authorizer's usage-key settings. `USAGE_PLANS_ENFORCED` is false on the local stage, whose
 * serverless-offline enforces no plan (and checks returned keys against a local list of its own):
 * there the authorizer returns no key and touches neither table nor queue.
 */
export const usageKeysEnvSchema = awsEnvSchema.extend({
  STAGE: z.string().min(1),
  USAGE_PLANS_ENFORCED: z.enum(['true', 'false']).transform((value) => value === 'true'),
  USAGE_KEYS_TABLE: z.string().min(1),
  USAGE_KEY_REQUESTS_QUEUE_URL: z.string().min(1),
  NEWCOMER_USAGE_KEY: z.string().regex(/^[A-Za-z0-9]{20,128}$/, 'must be 20-128 letters and digits'),
})
export type UsageKeysEnv = z.output<typeof usageKeysEnvSchema>

/** The authorizer's `usageKey` option from its settings: none where plans are not enforced (local). */
export const usageKeyOption = (
  env: UsageKeysEnv,
  clients: { readonly db: DynamoDBDocumentClient; readonly sqs: SQSClient },
): ((sub: string) => Promise<string>) | undefined =>
  env.USAGE_PLANS_ENFORCED
    ? usageKeyChooser({
        stage: env.STAGE,
        newcomerKey: env.NEWCOMER_USAGE_KEY,
        markers: dynamoDbUsageKeyMarkers(clients.db, env.USAGE_KEYS_TABLE),
        requests: sqsUsageKeyRequests(clients.sqs, env.USAGE_KEY_REQUESTS_QUEUE_URL),
      })
    : undefined
