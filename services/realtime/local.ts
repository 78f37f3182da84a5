/**
 * How `pnpm dev` and the integration tests run realtime (contract: packages/local-cloud/src/service.ts).
 * The WebSocket routes run in serverless-offline (its `websocket` support; the `@connections`
 * management API answers on the same port), the connections table comes from serverless.yml.
 * Clients connect to serverless-offline's WebSocket port directly: the local API Gateway in front
 * of HTTP services proxies plain HTTP only. The producers read other services' table streams (their
 * ARNs come from compose): one local event source mapping each, on DynamoDB Local's real stream,
 * invoking the function in its own sandbox with its deployed environment (`cloud.lambda`).
 */
import { defineLocalService, type LocalCloud } from '@app/local-cloud'
import { startDynamoDbStreamPoller, streamEventSettings } from '@app/local-cloud/wiring/dynamodb-stream'
import type { DynamoDBBatchResponse } from 'aws-lambda'

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
  // The `@connections` API of the local WebSocket API (in AWS: the API's stage URL).
  env: (cloud) => ({ CONNECTIONS_ENDPOINT: `http://127.0.0.1:${websocketPort(cloud)}` }),
  async wire(cloud) {
    const config = cloud.config(name)!
    const pollers = producerStreams(cloud).map(({ functionKey, streamArn }) => {
      const fn = cloud.lambda(name, functionKey)
      cloud.log(`${name}: ${fn.name} reads ${streamArn}`)
      return startDynamoDbStreamPoller({
        ...streamEventSettings(config, functionKey),
        streamArn,
        endpoint: cloud.endpoints.dynamodbStreams,
        region: cloud.region,
        functionName: fn.name,
        readAs: fn,
        handler: (event) => fn.invoke<DynamoDBBatchResponse | undefined>(event),
        log: cloud.log,
      })
    })
    await Promise.all(pollers.map((poller) => poller.ready))
    return async () => {
      await Promise.all(pollers.map((poller) => poller.stop()))
    }
  },
  endpoints: (cloud) => ({ realtime: `ws://127.0.0.1:${websocketPort(cloud)}` }),
})
