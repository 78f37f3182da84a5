import { randomBytes } from 'node:crypto'
import { createDocumentClient } from '@app/runtime/aws'
import { readConfig } from '@app/runtime/config'
import { dynamoSubscribersRepository } from '../../adapters/dynamodb'
import { confirmationPolicyEnv, subscribersEnv } from '../../config'
import { subscribeRoute } from './route'

const config = readConfig(subscribersEnv.extend(confirmationPolicyEnv.shape))

export const handler = subscribeRoute({
  subscribers: dynamoSubscribersRepository(createDocumentClient(config), config.SUBSCRIBERS_TABLE),
  clock: { now: () => new Date() },
  // 128 bits: unguessable ids, 22 URL-safe characters in the links that name the subscription.
  newId: () => randomBytes(16).toString('base64url'),
  policy: {
    pendingTtlSeconds: config.PENDING_SUBSCRIBER_TTL_SECONDS,
    cooldownSeconds: config.CONFIRMATION_COOLDOWN_SECONDS,
  },
})
