import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { dynamoSubscribersRepository } from '../../adapters/dynamodb'
import { subscribersEnv } from '../../config'
import { unsubscribeRoute } from './route'

const config = readConfig(subscribersEnv)

export const handler = unsubscribeRoute({
  subscribers: dynamoSubscribersRepository(createDocumentClient(config), config.SUBSCRIBERS_TABLE),
})
