/**
 * Phase 1, plan: everything a start decides before anything runs, as one value. Which services
 * (compose dependencies added, compose order), their `local.ts`, every port, the data folder.
 * Nothing here waits for a stand-in, so the phases that need only the plan (serverless-offline,
 * IAM packaging, the AWS gateway) start at once, side by side with the stand-ins.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type ComposeService, composeOrder, readCompose } from '@app/cloudformation'
import { type IamMode, iamModes } from '../iam/aws-gateway'
import { defaultPorts, freePort } from '../ports'
import type { LocalService, OfflineEndpoint } from '../service'

export const stage = 'local'
export const region = 'us-east-1'
/** The account id DynamoDB Local and the other stand-ins use in ARNs. */
export const accountId = '000000000000'

/** A service outside `services/` (tests use fixtures); `local` defaults to a bare `{ name }`. */
export interface ServiceSource {
  name: string
  dir: string
  local?: LocalService
}

/** What a caller of `startLocalCloud` decides of the plan (part of `StartLocalCloudOptions`). */
export interface PlanChoices {
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
  /**
   * IAM for local functions (packages/local-cloud/src/iam): `enforce` refuses what their roles do
   * not grant, as AWS would; `report` only records it; `off` lets every call through. Default:
   * `LOCAL_CLOUD_IAM`, else `enforce`.
   */
  iam?: IamMode
}

export interface PlanOptions extends PlanChoices {
  rootDir: string
}

export interface PlannedService {
  readonly name: string
  readonly dir: string
  readonly local: LocalService
  readonly compose?: ComposeService
  /** Has a serverless.yml (fixtures without one only take part through `local.ts`). */
  readonly hasTemplate: boolean
}

export type PortName = keyof typeof defaultPorts

export interface CloudPlan {
  readonly rootDir: string
  readonly dataDir: string
  /** `sls print` results, shared by every run from this checkout. */
  readonly cacheDir: string
  /** A temp data dir removed at stop (tests), DynamoDB in memory. */
  readonly ephemeral: boolean
  readonly iamMode: IamMode
  readonly ports: Readonly<Record<PortName, number>>
  /** The port a service's own server listens on: `preferred` + offset, or a free one in tests. */
  port(preferred: number): Promise<number>
  /** Compose order: a service's params may need an earlier service's outputs. */
  readonly services: readonly PlannedService[]
  /** serverless-offline of each HTTP service that runs, by service name. */
  readonly offline: Readonly<Record<string, OfflineEndpoint>>
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
): Promise<{ name: string; dir: string; local: LocalService }> => {
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

const iamModeFromEnv = (): IamMode => {
  const value = process.env.LOCAL_CLOUD_IAM ?? 'enforce'
  if (!(iamModes as readonly string[]).includes(value))
    throw new Error(`LOCAL_CLOUD_IAM=${value}: expected one of ${iamModes.join(', ')}`)
  return value as IamMode
}

/** Decides the services, ports and data folder (wiping it first with `fresh`). */
export const planCloud = async (options: PlanOptions): Promise<CloudPlan> => {
  const { rootDir } = options
  const portMode = options.ports ?? 'default'
  const offset = options.portOffset ?? 0
  const ephemeral = options.dataDir === undefined && portMode === 'auto'
  const port = async (preferred: number) => (portMode === 'auto' ? freePort() : preferred + offset)

  const names = Object.keys(defaultPorts) as PortName[]
  const picked = await Promise.all(names.map((name) => port(defaultPorts[name])))
  const ports = Object.fromEntries(names.map((name, index) => [name, picked[index]!])) as Record<
    PortName,
    number
  >

  const compose = readCompose(rootDir)
  const sources = withComposeDependencies(options.services ?? discoverServices(rootDir), compose)
  const loaded = await Promise.all(sources.map((source) => loadService(rootDir, source)))
  const order = new Map(composeOrder(compose).map((service, index) => [service.name, { service, index }]))
  const services: PlannedService[] = loaded
    .map((service) => {
      const entry = order.get(service.name)
      return {
        ...service,
        ...(entry ? { compose: entry.service } : {}),
        hasTemplate: existsSync(join(service.dir, 'serverless.yml')),
      }
    })
    .sort((a, b) => (order.get(a.name)?.index ?? 1e9) - (order.get(b.name)?.index ?? 1e9))

  const offline: Record<string, OfflineEndpoint> = {}
  if (options.offline ?? true)
    for (const service of services) {
      if (!service.local.offline || !service.hasTemplate) continue
      const httpPort = await port(service.local.offline.httpPort)
      const lambdaPort = await port(service.local.offline.lambdaPort)
      const declaredWebsocket = service.local.offline.websocketPort
      // The declared port is the local API Gateway's; serverless-offline listens behind it.
      offline[service.name] = {
        url: `http://127.0.0.1:${httpPort}`,
        httpPort,
        lambdaPort,
        offlinePort: await freePort(),
        ...(declaredWebsocket === undefined ? {} : { websocketPort: await port(declaredWebsocket) }),
      }
    }

  // Last: a plan that fails (an unknown service, LOCAL_CLOUD_IAM) leaves no temp dir behind.
  const iamMode = options.iam ?? iamModeFromEnv()
  const dataDir =
    options.dataDir ?? (ephemeral ? mkdtempSync(join(tmpdir(), 'local-cloud-')) : join(rootDir, '.local'))
  if (options.fresh) {
    for (const part of ['dynamodb', 's3', 'cognito', 'services'])
      rmSync(join(dataDir, part), { recursive: true, force: true })
  }
  mkdirSync(dataDir, { recursive: true })

  return {
    rootDir,
    dataDir,
    cacheDir: join(rootDir, '.local', 'cache'),
    ephemeral,
    iamMode,
    ports,
    port,
    services,
    offline,
  }
}
