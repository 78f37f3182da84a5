import {
  APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeysCommand,
} from '@aws-sdk/client-api-gateway'
import type { SQSRecord } from 'aws-lambda'
import * as z from 'zod'
import { commonClientConfig } from '../aws/common'
import { sqsBatchHandler } from '../batch'
import type { AwsEnv } from '../config'
import { awsEnvSchema, readConfig } from '../config'
import { createDocumentClient } from '../dynamodb'
import { logger, MetricUnit, metrics } from '../observability'
import {
  dynamoDbUsageKeyMarkers,
  type UsageKeyMarkers,
  usageKeyName,
  usageKeyRequestSchema,
  usageKeyValue,
} from '../usage-keys'

/** API Gateway's keys, as the provisioner needs them. */
export interface ApiKeys {
  /** The id of the key of this name, if any. */
  findByName(name: string): Promise<string | undefined>
  /** Creates the key; `undefined` when a key with this value or name exists already (a race). */
  create(name: string, value: string): Promise<string | undefined>
  /** Puts the key in the plan; a key already in it is fine. */
  addToPlan(planId: string, keyId: string): Promise<void>
}

export interface ProvisionerPorts {
  readonly keys: ApiKeys
  readonly markers: UsageKeyMarkers
  /** Resolves when the next CreateApiKey may go (its account-wide rate: 5 per second). */
  readonly pace: () => Promise<void>
}

/**
 * Puts a user's key in this service's plan, then writes the marker that makes the authorizer name it
 * (in this order: a marker before the plan would get the user 403s). Idempotent, so duplicate
 * requests (every authorizer cache miss before the marker asks again) and redeliveries are harmless.
 * Another service of the stage may have created the key first: it is found by name and shared.
 */
export const provisionUsageKey = async (
  ports: ProvisionerPorts,
  options: { readonly stage: string; readonly planId: string },
  sub: string,
): Promise<'present' | 'provisioned'> => {
  if (await ports.markers.has(sub)) return 'present'
  const name = usageKeyName(options.stage, sub)
  let keyId = await ports.keys.findByName(name)
  if (keyId === undefined) {
    await ports.pace()
    keyId =
      (await ports.keys.create(name, usageKeyValue(options.stage, sub))) ??
      (await ports.keys.findByName(name))
    if (keyId === undefined) throw new Error(`API key ${name} conflicts but cannot be found`)
  }
  await ports.keys.addToPlan(options.planId, keyId)
  await ports.markers.put(sub, keyId)
  return 'provisioned'
}

/** At most one call per `intervalMs` (the next waits for the rest of the interval). */
export const pacer = (
  intervalMs: number,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> } = {
    now: Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  },
): (() => Promise<void>) => {
  let next = 0
  return async () => {
    const wait = next - clock.now()
    if (wait > 0) await clock.sleep(wait)
    next = clock.now() + intervalMs
  }
}

/**
 * The provisioning queue's consumer. A malformed request is dropped (logged, counted); any failure
 * (throttling beyond the SDK's retries, API Gateway or DynamoDB faults) is a batch item failure,
 * redelivered by SQS and after maxReceiveCount kept in the dead-letter queue (its alarm). The user
 * stays on the newcomer plan meanwhile: never refused.
 */
export const usageKeyProvisioner = (
  ports: ProvisionerPorts,
  options: { readonly stage: string; readonly planId: string },
) =>
  sqsBatchHandler(async (record: SQSRecord) => {
    let sub: string
    try {
      sub = usageKeyRequestSchema.parse(JSON.parse(record.body)).sub
    } catch (error) {
      logger.error('Dropped a malformed usage key request', { messageId: record.messageId, error })
      metrics.addMetric('MalformedMessages', MetricUnit.Count, 1)
      return
    }
    const outcome = await provisionUsageKey(ports, options, sub)
    metrics.addMetric(`UsageKeys_${outcome}`, MetricUnit.Count, 1)
  })

/** API Gateway's control plane (CreateApiKey, GetApiKeys, CreateUsagePlanKey). */
export const apiGatewayKeys = (client: APIGatewayClient): ApiKeys => ({
  findByName: async (name) => {
    // nameQuery matches by prefix: keep the exact name only.
    const { items = [] } = await client.send(new GetApiKeysCommand({ nameQuery: name, limit: 25 }))
    return items.find((item) => item.name === name)?.id
  },
  create: async (name, value) => {
    try {
      const { id } = await client.send(new CreateApiKeyCommand({ name, value, enabled: true }))
      return id
    } catch (error) {
      if (error instanceof ConflictException) return undefined
      throw error
    }
  },
  addToPlan: async (planId, keyId) => {
    try {
      await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId, keyType: 'API_KEY' }))
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error
    }
  },
})

/** One API Gateway client per function; the SDK's retries (full jitter) absorb its TooManyRequests. */
export const createApiGatewayClient = (env: AwsEnv): APIGatewayClient =>
  new APIGatewayClient(commonClientConfig(env, undefined))

export const usageKeyProvisionerEnvSchema = awsEnvSchema.extend({
  STAGE: z.string().min(1),
  USAGE_KEYS_TABLE: z.string().min(1),
  USAGE_PLAN_ID: z.string().min(1),
})

/**
 * A service's provisioner function, as its `handler.ts` exports it (`export const handler =
 * usageKeyProvisionerFunction()`, at module scope): settings read once, clients and adapters built
 * once. Every service with usage plans has the same one, so it is written here, like the authorizers'.
 */
export const usageKeyProvisionerFunction = (env: Record<string, string | undefined> = process.env) => {
  const config = readConfig(usageKeyProvisionerEnvSchema, env)
  return usageKeyProvisioner(
    {
      keys: apiGatewayKeys(createApiGatewayClient(config)),
      markers: dynamoDbUsageKeyMarkers(createDocumentClient(config), config.USAGE_KEYS_TABLE),
      // 2 per second per instance, at most 2 instances (usage-plans.cjs): under CreateApiKey's 5 per
      // second for the account.
      pace: pacer(500),
    },
    { stage: config.STAGE, planId: config.USAGE_PLAN_ID },
  )
}
