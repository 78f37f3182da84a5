import {
  type ApiGatewayManagementApiClient,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'
import type { ConnectionPoster } from '../ports'

/**
 * A client that has gone away answers 410: `GoneException` from API Gateway. serverless-offline
 * answers a bare 410 (no error body), which the SDK reports by status only; by name and status
 * both, as `instanceof` fails across SDK copies.
 */
const isGone = (error: unknown): boolean => {
  const candidate = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | null
  return candidate?.name === 'GoneException' || candidate?.$metadata?.httpStatusCode === 410
}

export const createConnectionPoster = (client: ApiGatewayManagementApiClient): ConnectionPoster => ({
  async post(connectionId, data) {
    try {
      await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }))
      return 'sent'
    } catch (error) {
      if (isGone(error)) return 'gone'
      throw error
    }
  },
})
