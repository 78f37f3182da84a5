import { createSubscriptionTokens } from '@app/domain/subscribers'
import { createDocumentClient } from '@app/runtime/aws'
import { readConfig } from '@app/runtime/config'
import { dynamoSubscribersRepository } from '../../adapters/dynamodb'
import { subscribersEnv, subscriptionTokensEnv } from '../../config'
import { unsubscribeRoute } from './route'

const config = readConfig(subscribersEnv.extend(subscriptionTokensEnv.shape))

export const handler = unsubscribeRoute({
  subscribers: dynamoSubscribersRepository(createDocumentClient(config), config.SUBSCRIBERS_TABLE),
  tokens: createSubscriptionTokens(config.SUBSCRIPTION_TOKEN_SECRET),
})
