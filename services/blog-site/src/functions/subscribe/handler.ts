import { randomBytes } from 'node:crypto'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { dynamoSubscribersRepository } from '../../adapters/dynamodb'
import { confirmationPolicyEnv, originEnv, subscribersEnv } from '../../config'
import { subscribeRoute } from './route'

const config = readConfig(subscribersEnv.extend(confirmationPolicyEnv.shape).extend(originEnv.shape))

export const handler = subscribeRoute({
  origin: config.ORIGIN_VERIFY_SECRET,
  subscribers: dynamoSubscribersRepository(createDocumentClient(config), config.SUBSCRIBERS_TABLE),
  clock: { now: () => new Date() },
  // 128 bits: unguessable ids, 22 URL-safe characters in the links that name the subscription.
  newId: () => randomBytes(16).toString('base64url'),
  policy: {
    pendingTtlSeconds: config.PENDING_SUBSCRIBER_TTL_SECONDS,
    cooldownSeconds: config.CONFIRMATION_COOLDOWN_SECONDS,
  },
})
