import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createConnectionRepository } from '../../adapters/dynamodb-connections'
import { connectionsEnvSchema } from '../../config'
import { createDisconnectRoute } from './route'

const config = readConfig(connectionsEnvSchema)

export const handler = createDisconnectRoute({
  connections: createConnectionRepository(createDocumentClient(config), config.CONNECTIONS_TABLE, {
    ttlSeconds: config.CONNECTION_TTL_SECONDS,
  }),
})
