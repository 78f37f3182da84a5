import { type ServerMessage, type SubscribeMessage, subscribeMessageSchema } from '@app/domain/realtime'
import type { Connection, ConnectionRepository } from '../ports'

/** `$connect` after the authorizer accepted the token: the connection is the user's from now on. */
export const openConnection = (connections: ConnectionRepository, connection: Connection): Promise<void> =>
  connections.add(connection)

/** `$disconnect`: the connection and its subscriptions go (TTL catches the ones whose disconnect never ran). */
export const closeConnection = (connections: ConnectionRepository, connection: Connection): Promise<void> =>
  connections.remove(connection)

/**
 * A client's `subscribe` message: its answer, sent back on the same connection (`subscribed`, or an
 * `error` naming what was wrong). `messageId` is API Gateway's id of the incoming message.
 */
export const subscribe = async (
  connections: ConnectionRepository,
  connection: Connection,
  body: unknown,
  messageId: string,
): Promise<ServerMessage> => {
  const parsed = subscribeMessageSchema.safeParse(body)
  if (!parsed.success)
    return {
      type: 'error',
      id: messageId,
      detail: 'expected {"action":"subscribe","topic":"post:<slug>"}',
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), detail: issue.message })),
    }
  const { topic }: SubscribeMessage = parsed.data
  if (!(await connections.subscribe(connection, topic)))
    return { type: 'error', id: messageId, detail: 'connection not recorded (expired): reconnect' }
  return { type: 'subscribed', id: messageId, topic }
}
