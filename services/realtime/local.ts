/**
 * How `pnpm dev` and the integration tests run realtime (contract: packages/local-cloud/src/service.ts).
 * The WebSocket routes run in serverless-offline (its `websocket` support; the `@connections`
 * management API answers on the same port, reached through the AWS gateway's IAM check), the
 * connections table comes from serverless.yml.
 * Clients connect to serverless-offline's WebSocket port directly: the local API Gateway in front
 * of HTTP services proxies plain HTTP only. The producers read other services' table streams (their
 * ARNs come from compose): one local event source mapping each, on DynamoDB Local's real stream,
 * invoking the function in its own sandbox with its deployed environment (`cloud.lambda`).
 */
import { defineLocalService, type LocalCloud } from '@app/local-cloud'
import { websocketManagementEndpoint } from '@app/local-cloud/iam/execute-api'
import { wireStreams } from '@app/local-cloud/wiring/stream-events'

const name = 'realtime'

/** serverless-offline's WebSocket port of this run (ports differ in tests). */
const websocketPort = (cloud: Pick<LocalCloud, 'offline'>): number => {
  const port = cloud.offline[name]?.websocketPort
  if (port === undefined) throw new Error(`${name}: serverless-offline has no WebSocket port`)
  return port
}

/** The functions with a `stream` event on a compose-given ARN (another service's table), with that ARN. */
const producerStreams = (cloud: LocalCloud): Array<{ functionKey: string; streamArn: string }> => {
  const config = cloud.config(name)
  if (!config) throw new Error(`${name}: no resolved serverless.yml in the local cloud`)
  return Object.entries(config.functions ?? {}).flatMap(([functionKey, fn]) =>
    (fn.events ?? []).flatMap((event) => {
      const arn = (event.stream as { arn?: unknown } | undefined)?.arn
      return typeof arn === 'string' ? [{ functionKey, streamArn: arn }] : []
    }),
  )
}

export default defineLocalService({
  name,
  offline: { httpPort: 3005, lambdaPort: 3105, websocketPort: 3006 },
  // The `@connections` API of the local WebSocket API (in AWS: the API's stage URL), through the AWS
  // gateway, which checks the producers' execute-api:ManageConnections grant.
  env: (cloud) => ({ CONNECTIONS_ENDPOINT: websocketManagementEndpoint(cloud, name) }),
  wire: (cloud) => wireStreams(cloud, name, producerStreams(cloud)),
  endpoints: (cloud) => ({ realtime: `ws://127.0.0.1:${websocketPort(cloud)}` }),
})
