import { createSubscriptionTokens } from '@app/domain/subscribers'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { dynamoSubscribersRepository } from '../../adapters/dynamodb'
import { originEnv, subscribersEnv, subscriptionTokensEnv } from '../../config'
import { confirmSubscriptionRoute } from './route'

const config = readConfig(subscribersEnv.extend(subscriptionTokensEnv.shape).extend(originEnv.shape))

export const handler = confirmSubscriptionRoute({
  origin: config.ORIGIN_VERIFY_SECRET,
  subscribers: dynamoSubscribersRepository(createDocumentClient(config), config.SUBSCRIBERS_TABLE),
  clock: { now: () => new Date() },
  tokens: createSubscriptionTokens(config.SUBSCRIPTION_TOKEN_SECRET),
})
