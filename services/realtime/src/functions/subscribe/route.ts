import { logger } from '@app/runtime/observability'
import type { Context } from 'aws-lambda'
import { parseRouteEvent, type RouteResult } from '../../api/websocket'
import type { ConnectionRepository } from '../../ports'
import { subscribe } from '../../use-cases/connections'

const parseJson = (body: string | null | undefined): unknown => {
  try {
    return JSON.parse(body ?? '')
  } catch {
    return undefined
  }
}

/**
 * The `subscribe` route (`{"action":"subscribe","topic":"post:<slug>"}`): answers on the same
 * connection (a two-way route) with `subscribed` or an `error` naming what was wrong, never a 5xx
 * for bad input.
 */
export const createSubscribeRoute =
  (ports: { connections: ConnectionRepository }) =>
  async (event: unknown, context: Context): Promise<RouteResult> => {
    logger.addContext(context)
    const parsed = parseRouteEvent(event)
    const answer = await subscribe(
      ports.connections,
      parsed.connection,
      parseJson(parsed.event.body),
      parsed.event.requestContext.messageId ?? context.awsRequestId,
    )
    logger.info('Subscribe', { connectionId: parsed.connection.connectionId, answer: answer.type })
    return { statusCode: answer.type === 'error' ? 400 : 200, body: JSON.stringify(answer) }
  }
