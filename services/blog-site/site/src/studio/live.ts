/**
 * Pushed results over services/realtime's WebSocket (`?token=<access token>`, then
 * `{"action":"subscribe","topic":"post:<slug>"}`): the studio hears a photo's thumbnails the moment
 * the thumbnailer is done, without polling. Delivery is at-least-once: messages are deduplicated on `id`.
 */
export interface LiveMessage {
  type: string
  id: string
  [field: string]: unknown
}

export interface Live {
  /** Resolves once the server confirmed the subscription (`subscribed`), so no result is missed. */
  subscribe(topic: string): Promise<void>
  close(): void
}

const SUBSCRIBE_TIMEOUT_MS = 10_000
/** Ids seen, kept bounded: redeliveries come within minutes, not thousands of messages later. */
const SEEN_LIMIT = 500

export const connectLive = (
  url: string,
  accessToken: string,
  onMessage: (message: LiveMessage) => void,
): Promise<Live> =>
  new Promise((resolve, reject) => {
    const target = new URL(url)
    target.searchParams.set('token', accessToken)
    const socket = new WebSocket(target)
    const seen = new Set<string>()
    const waiting = new Map<string, () => void>()
    socket.addEventListener('message', (event) => {
      let message: LiveMessage
      try {
        message = JSON.parse(String(event.data)) as LiveMessage
      } catch {
        return
      }
      if (typeof message?.type !== 'string' || typeof message.id !== 'string') return
      if (message.type === 'subscribed' && typeof message.topic === 'string') {
        waiting.get(message.topic)?.()
        waiting.delete(message.topic)
        return
      }
      if (seen.has(message.id)) return
      seen.add(message.id)
      if (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string)
      onMessage(message)
    })
    socket.addEventListener('error', () => reject(new Error('The live connection could not be opened.')))
    socket.addEventListener('open', () =>
      resolve({
        subscribe: (topic) =>
          new Promise<void>((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`No answer to subscribing to ${topic}`)),
              SUBSCRIBE_TIMEOUT_MS,
            )
            waiting.set(topic, () => {
              clearTimeout(timer)
              done()
            })
            socket.send(JSON.stringify({ action: 'subscribe', topic }))
          }),
        close: () => socket.close(),
      }),
    )
  })
