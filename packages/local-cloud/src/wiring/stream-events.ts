/**
 * The local event source mappings of a service's `stream` events on its own tables
 * (`arn: { Fn::GetAtt: [<Table>, StreamArn] }`), derived from its serverless.yml: the stream ARN is
 * the service's local `<Table>StreamArn` output (which `pnpm new function --kind stream` declares),
 * the settings are the event's (`streamEventSettings`), and the handler is the function in its own
 * sandbox (`cloud.lambda`). Generated services' local.ts call `wireOwnTableStreams` in `wire`, so a
 * new stream function needs no local code; streams of other services' tables, whose ARNs come from
 * compose, go to `wireStreams` with those ARNs (realtime's producers).
 */
import type { DynamoDBBatchResponse } from 'aws-lambda'
import type { LocalCloud } from '../service'
import type { PrintedService } from '../template/print'
import { startDynamoDbStreamPoller, streamEventSettings } from './dynamodb-stream'

export interface OwnTableStream {
  readonly functionKey: string
  readonly table: string
  readonly streamArn: string
}

const ownTableOf = (event: Record<string, unknown>, resources: Record<string, { Type: string }>) => {
  const stream = event.stream as { arn?: unknown } | undefined
  const getAtt = (stream?.arn as { 'Fn::GetAtt'?: unknown } | undefined)?.['Fn::GetAtt']
  if (!Array.isArray(getAtt) || getAtt[1] !== 'StreamArn') return undefined
  const table = String(getAtt[0])
  return resources[table]?.Type === 'AWS::DynamoDB::Table' ? table : undefined
}

/** The stream events of `printed` on its own tables, with their local stream ARNs from `outputs`. */
export const ownTableStreams = (
  printed: Pick<PrintedService, 'service' | 'functions' | 'resources'>,
  outputs: Readonly<Record<string, string>>,
): OwnTableStream[] =>
  Object.entries(printed.functions ?? {}).flatMap(([functionKey, fn]) =>
    (fn.events ?? []).flatMap((event) => {
      const table = ownTableOf(event, printed.resources?.Resources ?? {})
      if (!table) return []
      const streamArn = outputs[`${table}StreamArn`]
      if (!streamArn) {
        throw new Error(
          `${printed.service}: ${functionKey} reads ${table}’s stream, but the service has no local ${table}StreamArn output (declare it in serverless.yml Outputs)`,
        )
      }
      return [{ functionKey, table, streamArn }]
    }),
  )

/**
 * Starts one local event source mapping per `{ functionKey, streamArn }` of `service` (the function
 * in its own sandbox, the event's settings); resolves once all read; returns their stop.
 */
export const wireStreams = async (
  cloud: LocalCloud,
  service: string,
  streams: ReadonlyArray<{ readonly functionKey: string; readonly streamArn: string }>,
): Promise<() => Promise<void>> => {
  const config = cloud.config(service)
  if (!config) throw new Error(`${service}: no resolved serverless.yml in the local cloud`)
  const pollers = streams.map(({ functionKey, streamArn }) => {
    const fn = cloud.lambda(service, functionKey)
    cloud.log(`${service}: ${fn.name} reads ${streamArn}`)
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
}

/** Starts a poller per stream event on the service's own tables; resolves once all read; returns their stop. */
export const wireOwnTableStreams = async (
  cloud: LocalCloud,
  service: string,
): Promise<() => Promise<void>> => {
  const config = cloud.config(service)
  if (!config) throw new Error(`${service}: no resolved serverless.yml in the local cloud`)
  return wireStreams(cloud, service, ownTableStreams(config, cloud.outputs[service] ?? {}))
}
