/**
 * `startLocalCloud`: the whole system on this machine, for `pnpm dev` and for integration tests.
 * One code path for both; tests differ only by options (free ports, in-memory DynamoDB, temp dirs).
 */

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  type ComposeService,
  composeOrder,
  readCompose,
  resolveParams as resolveComposeParams,
  resolveIntrinsics,
  UnresolvableError,
} from '@app/cloudformation'
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { type DemoUser, seedDemoUser } from './demo-user'
import { startApiGateway } from './gateway/api-gateway'
import { gatewayResponsesOf } from './gateway/gateway-responses'
import { type IamMode, iamModes } from './iam/aws-gateway'
import { type LocalIam, startLocalIam } from './iam/local-iam'
import type { IamReport } from './iam/report'
import { lambdaDefinition } from './lambda/environment'
import { offlineSandboxEnv, writeOfflineFunctions } from './lambda/offline-sandbox'
import { type LocalFunction, startLocalFunction } from './lambda/runtime'
import { startOffline } from './offline'
import { defaultPorts, freePort } from './ports'
import type { Child } from './process'
import { type Provisioned, provision } from './provision'
import type { LocalCloud, LocalEndpoints, LocalService, OfflineEndpoint } from './service'
import { startCognito } from './standins/cognito'
import { identityPoolIdOf, startCognitoIdentity } from './standins/cognito-identity'
import { startDynamoDb } from './standins/dynamodb'
import { type RunningS3, s3rverCredentials, startS3 } from './standins/s3'
import { type RunningSes, startSes } from './standins/ses'
import type { RunningStandIn } from './standins/types'
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
  /** With `ports: 'default'`: added to every default port (a second `pnpm dev`, the benchmark). */
  portOffset?: number
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
  /**
   * IAM for local functions (packages/local-cloud/src/iam): `enforce` refuses what their roles do
   * not grant, as AWS would; `report` only records it; `off` lets every call through. Default:
   * `LOCAL_CLOUD_IAM`, else `enforce`.
   */
  iam?: IamMode
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
  /** What local functions did against what their roles grant (undefined with IAM off). */
  iamReport(): IamReport | undefined
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

/** Adds the compose dependencies of requested services: their params need those services' outputs. */
const withComposeDependencies = (
  requested: (string | ServiceSource)[],
  compose: ComposeService[],
): (string | ServiceSource)[] => {
  const byName = new Map(compose.map((service) => [service.name, service]))
  const names = new Set(requested.map((source) => (typeof source === 'string' ? source : source.name)))
  const added: string[] = []
  const visit = (name: string) => {
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      if (names.has(dependency)) continue
      names.add(dependency)
      added.push(dependency)
      visit(dependency)
    }
  }
  for (const name of [...names]) visit(name)
  return [...requested, ...added]
}

interface OfflineInputs {
  params: Record<string, string>
  env: Record<string, string>
}

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch {
    return undefined
  }
}

const iamModeFromEnv = (): IamMode => {
  const value = process.env.LOCAL_CLOUD_IAM ?? 'enforce'
  if (!(iamModes as readonly string[]).includes(value))
    throw new Error(`LOCAL_CLOUD_IAM=${value}: expected one of ${iamModes.join(', ')}`)
  return value as IamMode
}

const camelCase = (name: string) =>
  name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())

/** Starts the stand-ins, derives and creates every service's resources, starts serverless-offline, wires and seeds. */
export const startLocalCloud = async (options: StartLocalCloudOptions = {}): Promise<RunningLocalCloud> => {
  const startedAt = Date.now()
  const rootDir = options.rootDir ?? repoRoot
  const portMode = options.ports ?? 'default'
  const log = options.log ?? (() => {})
  const echo = options.echo
  const iamMode = options.iam ?? iamModeFromEnv()
  const ephemeral = options.dataDir === undefined && portMode === 'auto'
  const dataDir =
    options.dataDir ?? (ephemeral ? mkdtempSync(join(tmpdir(), 'local-cloud-')) : join(rootDir, '.local'))
  const cacheDir = join(rootDir, '.local', 'cache')
  if (options.fresh) {
    for (const part of ['dynamodb', 's3', 'cognito', 'services', 'offline-inputs.json'])
      rmSync(join(dataDir, part), { recursive: true, force: true })
  }
  mkdirSync(dataDir, { recursive: true })

  const stops: (() => Promise<void>)[] = []
  let stopped = false
  const stopAll = async () => {
    stopped = true
    // Reverse start order: wiring before the servers it talks to.
    for (const stop of stops.splice(0).reverse())
      await stop().catch((error) => log(`stop failed: ${String(error)}`))
    if (ephemeral) rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    const offset = options.portOffset ?? 0
    const pick = async (name: keyof typeof defaultPorts) =>
      portMode === 'auto' ? freePort() : defaultPorts[name] + offset
    const [dynamodbPort, s3Port, sesPort, cognitoPort, stepFunctionsPort, awsPort, identityPort] =
      await Promise.all([
        pick('dynamodb'),
        pick('s3'),
        pick('ses'),
        pick('cognito'),
        pick('stepFunctions'),
        pick('aws'),
        pick('cognitoIdentity'),
      ])

    // Services and their `sls print` (seconds each, cached) load while the stand-ins boot.
    const compose = readCompose(rootDir)
    const sources = withComposeDependencies(options.services ?? discoverServices(rootDir), compose)
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
    const print = async (service: ServiceState, paramValues?: Record<string, string>) => {
      const { printed, cached } = await printService({
        serviceDir: service.dir,
        rootDir,
        stage,
        paramNames: Object.keys(service.compose?.params ?? {}),
        ...(paramValues ? { paramValues } : {}),
        cacheDir,
      })
      service.printed = printed
      service.printCached = cached
      log(`${service.name}: serverless.yml ${cached ? 'from cache' : 'printed'}`)
    }
    // Services whose template refuses placeholder params; printed again once the values exist.
    const printWithValues = new Set<ServiceState>()
    const printing = services.map(async (service) => {
      if (!existsSync(join(service.dir, 'serverless.yml'))) return
      await print(service).catch((error: Error) => {
        if (!service.compose || !Object.keys(service.compose.params).length) throw error
        printWithValues.add(service)
      })
    })

    // Offline ports are known before any service starts, so a service's local outputs can name its URL.
    const runOffline = options.offline ?? true
    const offline: Record<string, OfflineEndpoint> = {}
    for (const service of services) {
      if (!runOffline || !service.local.offline || !existsSync(join(service.dir, 'serverless.yml'))) continue
      const ports =
        portMode === 'auto'
          ? { httpPort: await freePort(), lambdaPort: await freePort() }
          : {
              httpPort: service.local.offline.httpPort + offset,
              lambdaPort: service.local.offline.lambdaPort + offset,
            }
      // The declared port is the local API Gateway's; serverless-offline listens behind it.
      offline[service.name] = {
        url: `http://127.0.0.1:${ports.httpPort}`,
        ...ports,
        offlinePort: await freePort(),
      }
    }
    // serverless-offline takes the longest to start (osls, then esbuild bundling every function),
    // and needs only its environment and params, which are the same as last time on a warm start
    // (pool ids, stream ARNs and ports persist). So it starts now with last run's inputs, in parallel
    // with everything else, and is restarted only if the real inputs turn out different.
    const offlineInputsFile = join(dataDir, 'offline-inputs.json')
    const startServiceOffline = (service: ServiceState, inputs: OfflineInputs) => {
      const run: { child?: Child; ready: Promise<unknown> } = { ready: Promise.resolve() }
      run.ready = startOffline({
        name: service.name,
        dir: service.dir,
        rootDir,
        stage,
        httpPort: offline[service.name]!.offlinePort,
        lambdaPort: offline[service.name]!.lambdaPort,
        ...inputs,
        keepWorkFolder: !ephemeral,
        ...(echo ? { echo } : {}),
        onStarted: (child) => {
          run.child = child
          // A speculative start can outlive a failed startup: stop it instead of leaving it running.
          if (stopped) void child.stop()
          else stops.push(() => child.stop())
        },
      })
      // Observed later (awaited or discarded); never an unhandled rejection meanwhile.
      run.ready.catch(() => {})
      return run
    }
    const speculative = new Map<
      string,
      { inputs: OfflineInputs; run: ReturnType<typeof startServiceOffline> }
    >()
    if (!ephemeral) {
      const previous = readJson<Record<string, OfflineInputs>>(offlineInputsFile) ?? {}
      for (const service of services) {
        const inputs = previous[service.name]
        if (offline[service.name] && inputs)
          speculative.set(service.name, { inputs, run: startServiceOffline(service, inputs) })
      }
    }

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

    const endpoints: LocalEndpoints = {
      dynamodb: dynamodb.endpoint,
      dynamodbStreams: dynamodb.endpoint,
      s3: s3.endpoint,
      ses: ses.endpoint,
      sesInbox: ses.inbox,
      // Filled in by the first user pool in compose order (todo-api's, the "foundation" pool).
      cognito: { endpoint: cognito.endpoint, userPoolId: '', clientId: '' },
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
    }
    const iam: LocalIam = await startLocalIam({
      mode: iamMode,
      port: awsPort,
      region,
      accountId,
      rootDir,
      dataDir,
      upstreams: {
        dynamodb: dynamodb.endpoint,
        s3: s3.endpoint,
        ses: ses.endpoint,
        states: endpoints.stepFunctions,
      },
      log,
    })
    stops.push(() => iam.stop())
    if (iamMode !== 'off') {
      endpoints.awsGateway = iam.endpoints.AWS_ENDPOINT_URL_S3
      log(`IAM (${iamMode}): local functions call the stand-ins through ${endpoints.awsGateway}`)
    }
    const identity = await startCognitoIdentity({
      port: identityPort,
      region,
      issuerScheme: 'http://',
      pools: () => iam.identityPools(),
      assumeRole: (request) => iam.assumeRole(request),
    })
    stops.push(() => identity.stop())
    endpoints.cognitoIdentity = identity.endpoint
    /** What a deployed function's environment has of the cloud: endpoints through the gateway, no admin keys. */
    const deployedEnv = () => ({ ...functionEnv, ...iam.endpoints, ...iam.noCredentials })
    for (const [name, { httpPort }] of Object.entries(offline)) {
      // REST API (v1) routes are served under the stage, as API Gateway's default endpoint does.
      endpoints[camelCase(name)] = `http://127.0.0.1:${httpPort}/${stage}`
    }
    const outputs: Record<string, Record<string, string>> = {}
    // The functions the wiring invokes, one sandbox each; stopped after the wiring that calls them.
    const lambdas = new Map<string, LocalFunction>()
    stops.push(async () => {
      await Promise.all([...lambdas.values()].map((fn) => fn.stop()))
    })
    /** A function as deployed: its resolved environment, the cloud's endpoints, its role's credentials. */
    const deployedFunction = (name: string, key: string) => {
      const service = services.find((candidate) => candidate.name === name)
      if (!service?.printed || !service.provisioned)
        throw new Error(`${name}: no resolved serverless.yml with local resources yet, so no function ${key}`)
      const definition = lambdaDefinition({
        printed: service.printed,
        key,
        intrinsics: {
          region,
          accountId,
          stackName: `${service.printed.service}-${stage}`,
          ...service.provisioned,
        },
        overrides: { ...deployedEnv(), ...service.local.env?.(cloud) },
        service: name,
      })
      return {
        service,
        definition: {
          ...definition,
          environment: { ...definition.environment, ...iam.credentialsEnv(definition.name) },
        },
      }
    }
    const lambda = (name: string, key: string): LocalFunction => {
      const id = `${name}/${key}`
      const existing = lambdas.get(id)
      if (existing) return existing
      const { service, definition } = deployedFunction(name, key)
      for (const { name: variable, reason } of definition.unresolved)
        log(`${name}: ${definition.name} ${variable} has no local value (${reason})`)
      const fn = startLocalFunction({ ...definition, serviceDir: service.dir })
      lambdas.set(id, fn)
      return fn
    }
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
      port: async (preferred) => (portMode === 'auto' ? freePort() : preferred + offset),
      config: (name) => services.find((service) => service.name === name)?.printed,
      lambda,
      log,
    }

    // Resources, in compose order: a service's params may need an earlier service's outputs.
    for (const service of services) {
      const params = service.compose ? resolveComposeParams(service.compose, outputs) : {}
      if (printWithValues.has(service)) await print(service, params)
      if (service.printed) {
        const printed = substituteParams(service.printed, params)
        service.printed = printed
        const stackName = `${printed.service}-${stage}`
        service.derived = deriveResources(printed.resources?.Resources ?? {}, {
          region,
          accountId,
          stackName,
        })
        service.provisioned = await provision(service.derived, clients, {
          region,
          cognitoEndpoint: cognito.endpoint,
          log: (line) => log(`${service.name}: ${line}`),
        })
        // Identity pools live in the local Cognito Identity stand-in, their ids follow from the template.
        for (const [logicalId, resource] of Object.entries(printed.resources?.Resources ?? {}))
          if (resource.Type === 'AWS::Cognito::IdentityPool') {
            const id = identityPoolIdOf(region, stackName, logicalId)
            service.provisioned.refs[logicalId] = id
            if (endpoints.cognito.identityPoolId === undefined) endpoints.cognito.identityPoolId = id
          }
        const context = { region, accountId, stackName, ...service.provisioned }
        const own: Record<string, string> = {}
        for (const [name, output] of Object.entries(printed.resources?.Outputs ?? {})) {
          try {
            own[name] = String(resolveIntrinsics(output.Value, context))
          } catch (error) {
            if (!(error instanceof UnresolvableError)) throw error
            service.skippedOutputs.push({ name, reason: error.message })
          }
        }
        outputs[service.name] = own
        log(`${service.name}: resources ready`)
        const pool = service.provisioned.userPools[0]
        if (pool && !endpoints.cognito.userPoolId) {
          endpoints.cognito = {
            ...endpoints.cognito,
            endpoint: cognito.endpoint,
            userPoolId: pool.id,
            clientId: pool.clients[0]?.id ?? '',
          }
          functionEnv.COGNITO_ISSUER = `${cognito.endpoint}/${pool.id}`
          functionEnv.COGNITO_CLIENT_IDS = pool.clients.map((client) => client.id).join(',')
        }
      }
      const local = service.local.outputs?.(cloud) ?? {}
      outputs[service.name] = { ...outputs[service.name], ...local }
      service.skippedOutputs = service.skippedOutputs.filter((skipped) => !(skipped.name in local))
      // Downstream templates still need a value to print: an ARN-shaped marker that says what it is.
      for (const skipped of service.skippedOutputs) {
        outputs[service.name]![skipped.name] =
          `arn:aws:local:${region}:${accountId}:unavailable-locally/${service.name}/${skipped.name}`
      }
    }

    // Every function's credentials exist before any runs; its role's policies once the templates are packaged.
    // serverless-offline's functions run as deployed too: resolved environment, own credentials.
    const offlineFunctions: Record<string, Record<string, string>> = {}
    for (const service of services) {
      if (!offline[service.name] || !service.printed || !service.provisioned) continue
      for (const key of Object.keys(service.printed.functions ?? {})) {
        const { definition } = deployedFunction(service.name, key)
        offlineFunctions[definition.name] = definition.environment
      }
    }
    writeOfflineFunctions(dataDir, offlineFunctions)
    const iamReady = iam.resolve(
      services
        .filter((service) => service.printed && service.provisioned)
        .map((service) => ({
          name: service.name,
          dir: service.dir,
          inCompose: Boolean(service.compose),
          params: service.compose ? resolveComposeParams(service.compose, outputs) : {},
          context: {
            region,
            accountId,
            stackName: `${service.printed!.service}-${stage}`,
            ...service.provisioned!,
          },
        })),
      outputs,
    )
    iamReady.catch(() => {})

    if (runOffline) {
      for (const service of services) {
        const endpoint = offline[service.name]
        if (!endpoint) continue
        const gateway = await startApiGateway({
          name: service.name,
          port: endpoint.httpPort,
          upstreamPort: endpoint.offlinePort,
          responses: gatewayResponsesOf(service.printed?.resources?.Resources ?? {}),
        })
        stops.push(() => gateway.stop())
      }
      const inputs: Record<string, OfflineInputs> = {}
      await Promise.all(
        services
          .filter((service) => offline[service.name])
          .map(async (service) => {
            const actual: OfflineInputs = {
              params: service.compose ? resolveComposeParams(service.compose, outputs) : {},
              env: { ...deployedEnv(), ...service.local.env?.(cloud), ...offlineSandboxEnv(dataDir) },
            }
            inputs[service.name] = actual
            const guess = speculative.get(service.name)
            if (guess && JSON.stringify(guess.inputs) === JSON.stringify(actual)) return guess.run.ready
            if (guess) {
              log(`${service.name}: settings changed since the last run, restarting serverless-offline`)
              await guess.run.ready.catch(() => {})
              await guess.run.child?.stop()
            }
            return startServiceOffline(service, actual).ready
          }),
      )
      if (!ephemeral) writeFileSync(offlineInputsFile, `${JSON.stringify(inputs, null, 2)}\n`)
      log(`serverless-offline ready for ${Object.keys(offline).join(', ') || 'no service'}`)
    }

    for (const service of services) {
      if (!service.local.wire) continue
      const stop = await service.local.wire(cloud)
      stops.push(stop)
      log(`${service.name}: wired`)
    }
    let demoUser: DemoUser | undefined
    if (options.seed) {
      if (endpoints.cognito.userPoolId)
        demoUser = await seedDemoUser(clients.cognito, endpoints.cognito.userPoolId)
      for (const service of services) {
        if (!service.local.seed) continue
        await service.local.seed(cloud)
        log(`${service.name}: seeded`)
      }
    }
    for (const service of services) Object.assign(endpoints, service.local.endpoints?.(cloud))
    await iamReady

    return {
      ...cloud,
      services,
      ...(demoUser ? { demoUser } : {}),
      readyInMs: Date.now() - startedAt,
      iamReport: () => iam.report(),
      stop: stopAll,
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}
