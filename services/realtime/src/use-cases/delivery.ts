import type { Audience, ServerMessage } from '@app/domain/realtime'
import pMap from 'p-map'
import type { Connection, ConnectionPoster, ConnectionRepository } from '../ports'

export interface DeliveryReport {
  sent: number
  /** Connections that had gone away: removed, their message dropped (never retried). */
  gone: number
}

/**
 * Posts `message` to every connection of `audience`, `concurrency` at a time. A gone connection is
 * removed and its message dropped; any other failure (throttling, a fault) is thrown after every
 * other connection had its try, so the producer's event is redelivered: at-least-once, and the
 * connections that got it already dedupe on `message.id`.
 */
export const deliver = async (
  ports: { connections: ConnectionRepository; poster: ConnectionPoster },
  audience: Audience,
  message: ServerMessage,
  options: { concurrency: number },
): Promise<DeliveryReport> => {
  const targets: Connection[] =
    'user' in audience
      ? await ports.connections.ofUser(audience.user)
      : await ports.connections.subscribersOf(audience.topic)
  const data = JSON.stringify(message)
  const outcomes = await pMap(
    targets,
    async (target) => {
      const outcome = await ports.poster.post(target.connectionId, data)
      if (outcome === 'gone') await ports.connections.remove(target)
      return outcome
    },
    { concurrency: options.concurrency, stopOnError: false },
  )
  return {
    sent: outcomes.filter((outcome) => outcome === 'sent').length,
    gone: outcomes.filter((outcome) => outcome === 'gone').length,
  }
}
