import type { Topic } from '@app/domain/realtime'
import type { Connection, ConnectionPoster, ConnectionRepository } from '../ports'

/** The connections table in memory (no TTL: nothing here expires). */
export const fakeConnectionRepository = (): ConnectionRepository & { removed: Connection[] } => {
  const byUser = new Map<string, Set<string>>()
  const byTopic = new Map<Topic, Map<string, string>>()
  const removed: Connection[] = []
  return {
    removed,
    async add({ userId, connectionId }) {
      byUser.set(userId, (byUser.get(userId) ?? new Set()).add(connectionId))
    },
    async remove(connection) {
      removed.push(connection)
      byUser.get(connection.userId)?.delete(connection.connectionId)
      for (const subscribers of byTopic.values()) subscribers.delete(connection.connectionId)
    },
    async ofUser(userId) {
      return [...(byUser.get(userId) ?? [])].map((connectionId) => ({ userId, connectionId }))
    },
    async subscribe({ userId, connectionId }, topic) {
      if (!byUser.get(userId)?.has(connectionId)) return false
      byTopic.set(topic, (byTopic.get(topic) ?? new Map()).set(connectionId, userId))
      return true
    },
    async subscribersOf(topic) {
      return [...(byTopic.get(topic) ?? [])].map(([connectionId, userId]) => ({ userId, connectionId }))
    },
  }
}

/**
 * A `@connections` API that records what it was sent. `gone` connections answer 410; `failing`
 * ones throw. `post` resolves when `release()` is called, so a test can count calls in flight.
 */
export const fakeConnectionPoster = (
  options: { gone?: string[]; failing?: string[]; held?: boolean } = {},
) => {
  const sent: Array<{ connectionId: string; data: string }> = []
  let inFlight = 0
  let maxInFlight = 0
  const waiting: Array<() => void> = []
  const poster: ConnectionPoster = {
    async post(connectionId, data) {
      inFlight += 1
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        if (options.held) await new Promise<void>((resolve) => waiting.push(resolve))
        if (options.gone?.includes(connectionId)) return 'gone'
        if (options.failing?.includes(connectionId)) throw new Error(`throttled: ${connectionId}`)
        sent.push({ connectionId, data })
        return 'sent'
      } finally {
        inFlight -= 1
      }
    },
  }
  return {
    poster,
    sent,
    maxInFlight: () => maxInFlight,
    /** Lets every post waiting so far finish. */
    release: () => {
      for (const resolve of waiting.splice(0)) resolve()
    },
    waitingCount: () => waiting.length,
  }
}
