/**
 * How `pnpm dev` and the integration tests run realtime (contract: packages/local-cloud/src/service.ts).
 * The WebSocket routes run in serverless-offline (its `websocket` support; the `@connections`
 * management API answers on the same port), the connections table comes from serverless.yml.
 * Clients connect to serverless-offline's WebSocket port directly: the local API Gateway in front
 * of HTTP services proxies plain HTTP only.
 */
import { defineLocalService, type LocalCloud } from '@app/local-cloud'

const name = 'realtime'

/** serverless-offline's WebSocket port of this run (ports differ in tests). */
const websocketPort = (cloud: Pick<LocalCloud, 'offline'>): number => {
  const port = cloud.offline[name]?.websocketPort
  if (port === undefined) throw new Error(`${name}: serverless-offline has no WebSocket port`)
  return port
}

export default defineLocalService({
  name,
  offline: { httpPort: 3005, lambdaPort: 3105, websocketPort: 3006 },
  // The `@connections` API of the local WebSocket API (in AWS: the API's stage URL).
  env: (cloud) => ({ CONNECTIONS_ENDPOINT: `http://127.0.0.1:${websocketPort(cloud)}` }),
  endpoints: (cloud) => ({ realtime: `ws://127.0.0.1:${websocketPort(cloud)}` }),
})
