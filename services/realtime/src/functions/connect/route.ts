import { logger } from '@app/runtime/observability'
import type { Context } from 'aws-lambda'
import { parseRouteEvent, type RouteResult } from '../../api/websocket'
import type { ConnectionRepository } from '../../ports'
import { openConnection } from '../../use-cases/connections'

/** `$connect` (behind the authorizer): records the connection under its user. */
export const createConnectRoute =
  (ports: { connections: ConnectionRepository }) =>
  async (event: unknown, context: Context): Promise<RouteResult> => {
    logger.addContext(context)
    const { connection } = parseRouteEvent(event)
    await openConnection(ports.connections, connection)
    logger.info('Connected', { connectionId: connection.connectionId })
    return { statusCode: 200 }
  }
