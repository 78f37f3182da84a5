/** The local cloud's own HTTP fronts (API gateway, AWS gateway, identity pools) listen the same way. */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ListeningServer {
  readonly url: string
  stop(): Promise<void>
}

/** Listens on 127.0.0.1:`port`; `stop()` ends open keep-alive connections instead of waiting for them. */
export const listenOnLoopback = async (server: Server, port: number): Promise<ListeningServer> => {
  server.keepAliveTimeout = 1000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return {
    // The port the system picked when asked for any (0).
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
