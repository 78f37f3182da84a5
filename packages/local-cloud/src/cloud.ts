/**
 * `startLocalCloud`: the whole system on this machine, for `pnpm dev` and for integration tests.
 * One code path for both; tests differ only by options (free ports, in-memory DynamoDB, temp dirs).
 */

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { type ComposeService, composeOrder, readCompose, resolveComposeParams } from './compose'
import { type DemoUser, seedDemoUser } from './demo-user'
import { startOffline } from './offline'
import { defaultPorts, freePort } from './ports'
import type { Child } from './process'
import { type Provisioned, provision } from './provision'
import type { LocalCloud, LocalEndpoints, LocalService, OfflineEndpoint } from './service'
import { startCognito } from './standins/cognito'
import { startDynamoDb } from './standins/dynamodb'
import { type RunningS3, s3rverCredentials, startS3 } from './standins/s3'
import { type RunningSes, startSes } from './standins/ses'
import type { RunningStandIn } from './standins/types'
import { resolveIntrinsics, UnresolvableError } from './template/intrinsics'
import { type PrintedService, printService, substituteParams } from './template/print'
import { type DerivedResources, deriveResources } from './template/resources'

export const stage = 'local'
export const region = 'us-east-1'
/** The account id DynamoDB Local and the other stand-ins use in ARNs. */
export const accountId = '000000000000'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..')

/** A service outside `services/` (tests use fixtures); `local` defaults to a bare `{ name }`. */
export interface ServiceSource {
  name: string
  dir: string
  local?: LocalService
}

export interface StartLocalCloudOptions {
  /** Service names under `services/` (or explicit sources). Default: every service with a `local.ts`. */
  services?: (string | ServiceSource)[]
  /** `default`: the fixed ports of `pnpm dev`; `auto`: free ports, so parallel runs never collide. Default `default`. */
  ports?: 'auto' | 'default'
  /**
   * Where data persists. Default: `<root>/.local` with `ports: 'default'`; with `ports: 'auto'`, a
   * temp dir removed at stop, and DynamoDB in memory.
   */
  dataDir?: string
  /** Wipe the data (not the `sls print` cache) first. */
  fresh?: boolean
  /** Start serverless-offline for services that declare `offline` ports. Default true. */
  offline?: boolean
  /** Seed the demo user and call each service's `seed`. Default false (the dev CLI passes true). */
  seed?: boolean
  /** Prints progress (default: nothing). */
  log?: (line: string) => void
  /** Receives every child's output lines (the dev CLI echoes them with `--verbose`). */
  echo?: (line: string) => void
  /** The `java` executable for DynamoDB Local. */
  java?: string
  rootDir?: string
}

export interface ServiceState {
  name: string
  dir: string
  local: LocalService
  compose?: ComposeService
  printed?: PrintedService
  /** Whether `sls print` came from `.local/cache`. */
  printCached?: boolean
  derived?: DerivedResources
  provisioned?: Provisioned
  /** Outputs that reference resources with no local stand-in, with the reason. */
  skippedOutputs: { name: string; reason: string }[]
}

export interface RunningLocalCloud extends LocalCloud {
  readonly services: readonly ServiceState[]
  readonly demoUser?: DemoUser
  /** Milliseconds from the call to everything answering. */
  readonly readyInMs: number
  stop(): Promise<void>
}

const discoverServices = (rootDir: string): string[] => {
  const dir = join(rootDir, 'services')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'local.ts')))
    .sort()
}

const loadService = async (
  rootDir: string,
  source: string | ServiceSource,
): Promise<Omit<ServiceState, 'skippedOutputs'>> => {
  if (typeof source !== 'string')
    return { name: source.name, dir: source.dir, local: source.local ?? { name: source.name } }
  const dir = join(rootDir, 'services', source)
  const file = join(dir, 'local.ts')
  if (!existsSync(file)) {
    if (!existsSync(dir)) throw new Error(`unknown service ${source}: no folder services/${source}`)
    return { name: source, dir, local: { name: source } }
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: LocalService }
  if (!module.default)
    throw new Error(`services/${source}/local.ts has no default export (use defineLocalService)`)
  return { name: source, dir, local: module.default }
}

const camelCase = (name: string) =>
  name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())

/** Starts the stand-ins, derives and creates every service's resources, starts serverless-offline, wires and seeds. */
export const startLocalCloud = async (options: StartLocalCloudOptions = {}): Promise<RunningLocalCloud> => {
  const startedAt = Date.now()
  const rootDir = options.rootDir ?? repoRoot
  const ports = options.ports ?? 'default'
  const log = options.log ?? (() => {})
  const echo = options.echo
  const ephemeral = options.dataDir === undefined && ports === 'auto'
  const dataDir =
    options.dataDir ?? (ephemeral ? mkdtempSync(join(tmpdir(), 'local-cloud-')) : join(rootDir, '.local'))
  const cacheDir = join(rootDir, '.local', 'cache')
  if (options.fresh) {
    for (const part of ['dynamodb', 's3', 'cognito', 'services'])
      rmSync(join(dataDir, part), { recursive: true, force: true })
  }
  mkdirSync(dataDir, { recursive: true })

  const stops: (() => Promise<void>)[] = []
  const stopAll = async () => {
    // Reverse start order: wiring before the servers it talks to.
    for (const stop of stops.splice(0).reverse())
      await stop().catch((error) => log(`stop failed: ${String(error)}`))
    if (ephemeral) rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    const pick = async (name: keyof typeof defaultPorts) =>
      ports === 'auto' ? freePort() : defaultPorts[name]
    const [dynamodbPort, s3Port, sesPort, cognitoPort, stepFunctionsPort] = await Promise.all([
      pick('dynamodb'),
      pick('s3'),
      pick('ses'),
      pick('cognito'),
      pick('stepFunctions'),
    ])

    // Services and their `sls print` (seconds each, cached) load while the stand-ins boot.
    const compose = readCompose(rootDir)
    const sources = options.services ?? discoverServices(rootDir)
    const loaded = await Promise.all(sources.map((source) => loadService(rootDir, source)))
    const composeByName = new Map(
      composeOrder(compose).map((service, index) => [service.name, { service, index }]),
    )
    const services: ServiceState[] = loaded
      .map((service) => {
        const entry = composeByName.get(service.name)
        return { ...service, ...(entry ? { compose: entry.service } : {}), skippedOutputs: [] }
      })
      .sort((a, b) => (composeByName.get(a.name)?.index ?? 1e9) - (composeByName.get(b.name)?.index ?? 1e9))
    const printing = services.map(async (service) => {
      if (!existsSync(join(service.dir, 'serverless.yml'))) return
      const { printed, cached } = await printService({
        serviceDir: service.dir,
        rootDir,
        stage,
        paramNames: Object.keys(service.compose?.params ?? {}),
        cacheDir,
      })
      service.printed = printed
      service.printCached = cached
      log(`${service.name}: serverless.yml ${cached ? 'from cache' : 'printed'}`)
    })

    const started = <T extends RunningStandIn>(promise: Promise<T>) =>
      promise.then((standIn) => {
        stops.push(() => standIn.stop())
        return standIn
      })
    // allSettled: when one fails, the others still finish starting and are stopped by stopAll.
    const settled = await Promise.allSettled([
      Promise.all([
        started(
          startDynamoDb({
            port: dynamodbPort,
            ...(ephemeral ? {} : { dataDir: join(dataDir, 'dynamodb') }),
            ...(echo ? { echo } : {}),
            ...(options.java ? { java: options.java } : {}),
          }),
        ),
        started(startS3({ port: s3Port, ...(ephemeral ? {} : { dataDir: join(dataDir, 's3') }) })),
        started(startSes({ port: sesPort, ...(echo ? { echo } : {}) })),
        started(
          startCognito({ port: cognitoPort, dataDir: join(dataDir, 'cognito'), ...(echo ? { echo } : {}) }),
        ),
      ]),
      Promise.all(printing),
    ])
    const failure = settled.find((result) => result.status === 'rejected')
    if (failure) throw failure.reason
    const [dynamodb, s3, ses, cognito] = (
      settled[0] as PromiseFulfilledResult<[RunningStandIn, RunningS3, RunningSes, RunningStandIn]>
    ).value
    log(`stand-ins ready in ${Date.now() - startedAt} ms`)

    const clientConfig = { region, credentials: s3rverCredentials }
    const clients = {
      dynamodb: new DynamoDBClient({ ...clientConfig, endpoint: dynamodb.endpoint }),
      s3: new S3Client({ ...clientConfig, endpoint: s3.endpoint, forcePathStyle: true }),
      cognito: new CognitoIdentityProviderClient({ ...clientConfig, endpoint: cognito.endpoint }),
    }
    stops.push(async () => {
      clients.dynamodb.destroy()
      clients.s3.destroy()
      clients.cognito.destroy()
    })

    // Resources, in compose order: a service's params may need an earlier service's outputs.
    const outputs: Record<string, Record<string, string>> = {}
    for (const service of services) {
      if (!service.printed) continue
      const params = service.compose ? resolveComposeParams(service.compose, outputs) : {}
      const printed = substituteParams(service.printed, params)
      service.printed = printed
      const stackName = `${printed.service}-${stage}`
      service.derived = deriveResources(printed.resources?.Resources ?? {}, { region, accountId, stackName })
      service.provisioned = await provision(service.derived, clients, {
        region,
        cognitoEndpoint: cognito.endpoint,
        log: (line) => log(`${service.name}: ${line}`),
      })
      const context = { region, accountId, stackName, ...service.provisioned }
      outputs[service.name] = {}
      for (const [name, output] of Object.entries(printed.resources?.Outputs ?? {})) {
        try {
          outputs[service.name]![name] = String(resolveIntrinsics(output.Value, context))
        } catch (error) {
          if (!(error instanceof UnresolvableError)) throw error
          service.skippedOutputs.push({ name, reason: error.message })
        }
      }
    }

    // The "foundation" pool: the first one in compose order (todo-api's), used for COGNITO_* settings.
    const pool = services.flatMap((service) => service.provisioned?.userPools ?? [])[0]
    const endpoints: LocalEndpoints = {
      dynamodb: dynamodb.endpoint,
      dynamodbStreams: dynamodb.endpoint,
      s3: s3.endpoint,
      ses: ses.endpoint,
      sesInbox: ses.inbox,
      cognito: {
        endpoint: cognito.endpoint,
        userPoolId: pool?.id ?? '',
        clientId: pool?.clients[0]?.id ?? '',
      },
      stepFunctions: `http://127.0.0.1:${stepFunctionsPort}`,
    }
    const functionEnv: Record<string, string> = {
      STAGE: stage,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamodb.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SESV2: ses.endpoint,
      AWS_ENDPOINT_URL_SFN: endpoints.stepFunctions,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
      ...(pool
        ? {
            COGNITO_ISSUER: `${cognito.endpoint}/${pool.id}`,
            COGNITO_CLIENT_IDS: pool.clients.map((client) => client.id).join(','),
          }
        : {}),
    }

    const offline: Record<string, OfflineEndpoint> = {}
    const cloud: LocalCloud = {
      stage,
      region,
      rootDir,
      dataDir,
      endpoints,
      functionEnv,
      outputs,
      offline,
      stepFunctionsPort,
      s3Events: s3.events,
      log,
    }

    if (options.offline ?? true) {
      const children = await Promise.all(
        services
          .filter((service) => service.local.offline && service.printed)
          .map(async (service) => {
            const ports =
              options.ports === 'auto'
                ? { httpPort: await freePort(), lambdaPort: await freePort() }
                : (service.local.offline as { httpPort: number; lambdaPort: number })
            const child: Child = await startOffline({
              name: service.name,
              dir: service.dir,
              rootDir,
              stage,
              ...ports,
              params: service.compose ? resolveComposeParams(service.compose, outputs) : {},
              env: { ...functionEnv, ...service.local.env?.(cloud) },
              ...(echo ? { echo } : {}),
              onStarted: (started) => stops.push(() => started.stop()),
            })
            offline[service.name] = { url: `http://127.0.0.1:${ports.httpPort}`, ...ports }
            // REST API (v1) routes are served under the stage, as API Gateway's default endpoint does.
            endpoints[camelCase(service.name)] = `http://127.0.0.1:${ports.httpPort}/${stage}`
            return child
          }),
      )
      log(`serverless-offline ready for ${children.map((child) => child.name).join(', ') || 'no service'}`)
    }

    for (const service of services) {
      if (!service.local.wire) continue
      const stop = await service.local.wire(cloud)
      stops.push(stop)
    }
    let demoUser: DemoUser | undefined
    if (options.seed) {
      if (pool) demoUser = await seedDemoUser(clients.cognito, pool.id)
      for (const service of services) await service.local.seed?.(cloud)
    }
    for (const service of services) Object.assign(endpoints, service.local.endpoints?.(cloud))

    return {
      ...cloud,
      services,
      ...(demoUser ? { demoUser } : {}),
      readyInMs: Date.now() - startedAt,
      stop: stopAll,
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}
