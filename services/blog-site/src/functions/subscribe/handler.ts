import { randomBytes } from 'node:crypto'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { dynamoSubscribersRepository } from '../../adapters/dynamodb'
import { subscribersEnv } from '../../config'
import { subscribeRoute } from './route'

const config = readConfig(subscribersEnv)

export const handler = subscribeRoute({
  subscribers: dynamoSubscribersRepository(createDocumentClient(config), config.SUBSCRIBERS_TABLE),
  clock: { now: () => new Date() },
  // 192 bits: unguessable, and 32 URL-safe characters in an unsubscribe link.
  randomToken: () => randomBytes(24).toString('base64url'),
})
