import { logger } from '@app/runtime/observability'
import type { Context } from 'aws-lambda'
import { parseRouteEvent, type RouteResult } from '../../api/websocket'
import type { ConnectionRepository } from '../../ports'
import { closeConnection } from '../../use-cases/connections'

/** `$disconnect`: forgets the connection and its subscriptions (best effort in AWS too: TTL is the backstop). */
export const createDisconnectRoute =
  (ports: { connections: ConnectionRepository }) =>
  async (event: unknown, context: Context): Promise<RouteResult> => {
    logger.addContext(context)
    const { connection } = parseRouteEvent(event)
    await closeConnection(ports.connections, connection)
    logger.info('Disconnected', { connectionId: connection.connectionId })
    return { statusCode: 200 }
  }
