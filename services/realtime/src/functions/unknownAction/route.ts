import { logger } from '@app/runtime/observability'
import type { Context } from 'aws-lambda'
import { parseRouteEvent, type RouteResult } from '../../api/websocket'

/**
 * `$default`: a message whose `action` no route takes (or no JSON at all). Without this route API
 * Gateway answers `{"message":"Forbidden",...}`, which has no `type` or `id`: every message a client
 * gets must have both, so the answer is an `error` like the subscribe route's.
 */
export const createUnknownActionRoute =
  () =>
  async (event: unknown, context: Context): Promise<RouteResult> => {
    logger.addContext(context)
    const parsed = parseRouteEvent(event)
    logger.info('Unknown action', { connectionId: parsed.connection.connectionId })
    return {
      statusCode: 400,
      body: JSON.stringify({
        type: 'error',
        id: parsed.event.requestContext.messageId ?? context.awsRequestId,
        detail: 'unknown action: send {"action":"subscribe","topic":"post:<slug>"}',
      }),
    }
  }
