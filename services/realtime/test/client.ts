import { type LocalCloudForTests, signUpAndSignIn, type TestUser } from '@app/local-cloud/testing'
import WebSocket from 'ws'

/** A real WebSocket client (the `ws` package) of the realtime API, keeping every message it got. */
export interface RealtimeClient {
  readonly socket: WebSocket
  readonly messages: Array<Record<string, unknown>>
  /** The first message (already received or still to come) that `matches`; rejects after `waitMs`. */
  next(
    matches: (message: Record<string, unknown>) => boolean,
    waitMs?: number,
  ): Promise<Record<string, unknown>>
  send(message: unknown): void
  close(): Promise<void>
}

export const realtimeUrl = (cloud: LocalCloudForTests): string => {
  const url = cloud.endpoints.realtime
  if (typeof url !== 'string' || !url.startsWith('ws://'))
    throw new Error(`no realtime endpoint: ${String(url)}`)
  return url
}

/** Connects with `?token=`; rejects with the HTTP status of a refused upgrade (`refused: 403`). */
export const connect = (cloud: LocalCloudForTests, token: string | undefined): Promise<RealtimeClient> =>
  new Promise((resolve, reject) => {
    const query = token === undefined ? '' : `?token=${encodeURIComponent(token)}`
    const socket = new WebSocket(`${realtimeUrl(cloud)}${query}`)
    const messages: Array<Record<string, unknown>> = []
    const waiters = new Set<() => void>()
    socket.on('message', (data) => {
      messages.push(JSON.parse(String(data)) as Record<string, unknown>)
      for (const wake of waiters) wake()
    })
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`refused: ${response.statusCode}`)),
    )
    socket.once('error', reject)
    socket.once('open', () =>
      resolve({
        socket,
        messages,
        next: (matches, waitMs = 60_000) =>
          new Promise((found, missing) => {
            const check = () => {
              const message = messages.find(matches)
              if (!message) return false
              waiters.delete(check)
              clearTimeout(timer)
              found(message)
              return true
            }
            const timer = setTimeout(() => {
              waiters.delete(check)
              missing(new Error(`no matching message in ${waitMs} ms; got ${JSON.stringify(messages)}`))
            }, waitMs)
            if (!check()) waiters.add(check)
          }),
        send: (message) => socket.send(JSON.stringify(message)),
        close: () =>
          new Promise<void>((closed) => {
            if (socket.readyState === WebSocket.CLOSED) return closed()
            socket.once('close', () => closed())
            socket.close()
          }),
      }),
    )
  })

export const newUser = (cloud: LocalCloudForTests): Promise<TestUser> => signUpAndSignIn(cloud, 'realtime')
