import type { Topic } from '@app/domain/realtime'

/** One open WebSocket connection of a user (API Gateway's connection id). */
export interface Connection {
  readonly userId: string
  readonly connectionId: string
}

/** The connections table: who is connected, and which connection listens to which topic. */
export interface ConnectionRepository {
  /** Records an open connection; it ages out by TTL if its `$disconnect` never runs. */
  add(connection: Connection): Promise<void>
  /** Forgets a connection and its subscriptions (`$disconnect`, or a post that found it gone). */
  remove(connection: Connection): Promise<void>
  /** The user's open connections (not yet expired). */
  ofUser(userId: string): Promise<Connection[]>
  /** Adds `topic` to the connection's subscriptions; false when the connection is not (any longer) recorded. */
  subscribe(connection: Connection, topic: Topic): Promise<boolean>
  /** The connections subscribed to `topic` (not yet expired). */
  subscribersOf(topic: Topic): Promise<Connection[]>
}

/** The WebSocket API's `@connections` API: `gone` when the client has gone away (410 GoneException). */
export interface ConnectionPoster {
  post(connectionId: string, data: string): Promise<'sent' | 'gone'>
}
