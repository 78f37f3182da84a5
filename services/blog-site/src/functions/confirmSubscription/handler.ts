import { createSubscriptionTokens } from '@app/domain/subscribers'
import { createDocumentClient } from '@app/runtime/aws'
import { readConfig } from '@app/runtime/config'
import { dynamoSubscribersRepository } from '../../adapters/dynamodb'
import { subscribersEnv, subscriptionTokensEnv } from '../../config'
import { confirmSubscriptionRoute } from './route'

const config = readConfig(subscribersEnv.extend(subscriptionTokensEnv.shape))

export const handler = confirmSubscriptionRoute({
  subscribers: dynamoSubscribersRepository(createDocumentClient(config), config.SUBSCRIBERS_TABLE),
  clock: { now: () => new Date() },
  tokens: createSubscriptionTokens(config.SUBSCRIPTION_TOKEN_SECRET),
})
