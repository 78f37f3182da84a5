import { parseOrThrow } from '@app/domain'
import { z } from 'zod'
import type { Connection } from '../ports'

/**
 * What every route of the API reads from API Gateway's WebSocket event: the connection and its
 * user, as `$connect`'s authorizer put it in the context (API Gateway hands that context to every
 * later route of the connection, `$disconnect` included).
 */
const routeEvent = z.object({
  requestContext: z.object({
    connectionId: z.string().min(1),
    messageId: z.string().optional(),
    authorizer: z.object({ sub: z.string().min(1) }),
  }),
  body: z.string().nullish(),
})

export type RouteEvent = z.output<typeof routeEvent>

export const parseRouteEvent = (event: unknown): { connection: Connection; event: RouteEvent } => {
  const parsed = parseOrThrow(routeEvent, event, 'event')
  return {
    connection: {
      userId: parsed.requestContext.authorizer.sub,
      connectionId: parsed.requestContext.connectionId,
    },
    event: parsed,
  }
}

/** A route's answer: `$connect` refuses the upgrade unless 2xx; other routes' bodies go back to the client. */
export interface RouteResult {
  statusCode: number
  body?: string
}
