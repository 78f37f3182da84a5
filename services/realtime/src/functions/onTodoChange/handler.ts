import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createConnectionsClient } from '@app/runtime/websocket'
import { createConnectionPoster } from '../../adapters/apigateway-connections'
import { createConnectionRepository } from '../../adapters/dynamodb-connections'
import { deliveryEnvSchema } from '../../config'
import { createConsumer } from './consumer'

const config = readConfig(deliveryEnvSchema)

export const handler = createConsumer(
  {
    connections: createConnectionRepository(createDocumentClient(config), config.CONNECTIONS_TABLE, {
      ttlSeconds: config.CONNECTION_TTL_SECONDS,
    }),
    poster: createConnectionPoster(createConnectionsClient(config, config.CONNECTIONS_ENDPOINT)),
  },
  { concurrency: config.DELIVERY_CONCURRENCY },
)
