/**
 * `startLocalCloud`: the whole system on this machine, for `pnpm dev` and for integration tests.
 * One code path for both; tests differ only by options (free ports, in-memory DynamoDB, temp dirs).
 *
 * A start is a sequence of phases (./phases), each a function from what the earlier ones returned:
 * plan (services, ports) -> stand-ins | AWS gateway + IAM packaging | serverless-offline, side by
 * side, since each needs only the plan -> provision (resources, outputs, compose order) -> the
 * functions' environments -> API gateways (public ports) -> wiring -> seed. Every phase hands what
 * it starts to one lifetime, stopped in reverse order.
 */

import { rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ComposeService } from '@app/cloudformation'
import type { DemoUser } from './demo-user'
import type { IamReport } from './iam/report'
import { deployedFunctions, writeOfflineFunctionEnvironments } from './phases/functions'
import { startApiGateways, startAwsGateway } from './phases/gateway'
import { lifetime } from './phases/lifetime'
import { offlineInputs, startOfflines } from './phases/offline'
import { type CloudPlan, type PlanChoices, planCloud, region, stage } from './phases/plan'
import { startPrinting } from './phases/print'
import { type ProvisionedCloud, provisionServices } from './phases/provision'
import { seedServices } from './phases/seed'
import { baseFunctionEnv, type StandIns, standInEndpoints, startStandIns } from './phases/standins'
import { wireServices } from './phases/wiring'
import type { Provisioned } from './provision'
import type { LocalCloud, LocalEndpoints, LocalService } from './service'
import type { PrintedService } from './template/print'
import type { DerivedResources } from './template/resources'

export { accountId, region, type ServiceSource, stage } from './phases/plan'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..')

export interface StartLocalCloudOptions extends PlanChoices {
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
  /** What local functions did against what their roles grant (undefined with IAM off). */
  iamReport(): IamReport | undefined
  stop(): Promise<void>
}

const camelCase = (name: string) =>
  name.replace(/-([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())

/** What a `local.ts` callback may not use yet, by phase. */
const notYet = (what: string, phase: string) => () => {
  throw new Error(`${what} is not available ${phase}`)
}

interface CloudParts {
  plan: CloudPlan
  endpoints: LocalEndpoints
  functionEnv: Record<string, string>
  outputs: Record<string, Record<string, string>>
  provisioned?: ProvisionedCloud
  standIns?: StandIns
  lambda?: LocalCloud['lambda']
  authorize: LocalCloud['authorize']
  log: (line: string) => void
}

/** The `LocalCloud` the services' `local.ts` see, from what the phases so far returned. */
const cloudView = (parts: CloudParts, phase: string): LocalCloud => {
  const { plan, provisioned, standIns } = parts
  return {
    stage,
    region,
    rootDir: plan.rootDir,
    dataDir: plan.dataDir,
    endpoints: parts.endpoints,
    functionEnv: parts.functionEnv,
    outputs: parts.outputs,
    offline: plan.offline,
    stepFunctionsPort: plan.ports.stepFunctions,
    get s3Events() {
      if (!standIns) return notYet('cloud.s3Events', phase)()
      return standIns.s3Events
    },
    port: plan.port,
    config: (name) => provisioned?.services.get(name)?.printed,
    lambda: parts.lambda ?? notYet('cloud.lambda', phase),
    authorize: parts.authorize,
    log: parts.log,
  }
}

/** Starts the stand-ins, derives and creates every service's resources, starts serverless-offline, wires and seeds. */
export const startLocalCloud = async (options: StartLocalCloudOptions = {}): Promise<RunningLocalCloud> => {
  const startedAt = Date.now()
  const log = options.log ?? (() => {})
  const { echo } = options
  const plan = await planCloud({ ...options, rootDir: options.rootDir ?? repoRoot })
  // Every Node child (osls print and package, serverless-offline, cognito-local) inherits V8's
  // on-disk compile cache (Node 22): a start runs up to sixteen osls processes, each compiling the
  // same framework and plugins, ~13% of their CPU time on this machine. Node 20 ignores it.
  process.env.NODE_COMPILE_CACHE ??= join(plan.rootDir, 'node_modules', '.cache', 'node-compile-cache')
  const life = lifetime(log)
  const stop = async () => {
    await life.end()
    if (plan.ephemeral) rmSync(plan.dataDir, { recursive: true, force: true })
  }
  const since = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)} s`

  try {
    // Side by side, each from the plan alone: printing, the AWS gateway (and IAM packaging),
    // serverless-offline, the stand-ins.
    const printing = startPrinting(plan, log)
    const urls = standInEndpoints(plan)
    const baseEnv = baseFunctionEnv(urls)
    const gateway = await startAwsGateway(plan, urls, life, log)
    const { iam } = gateway
    const authorize: LocalCloud['authorize'] = (delivery) => iam.authorize(delivery)
    /** What a deployed function's environment has of the cloud: endpoints through the gateway, no admin keys. */
    const deployedEnv = (functionEnv: Record<string, string>) => ({
      ...functionEnv,
      ...iam.endpoints,
      ...iam.noCredentials,
    })
    const plannedEndpoints: LocalEndpoints = {
      dynamodb: urls.dynamodb,
      dynamodbStreams: urls.dynamodb,
      s3: urls.s3,
      ses: urls.ses,
      sesInbox: urls.sesInbox,
      cognito: { endpoint: urls.cognito, userPoolId: '', clientId: '' },
      stepFunctions: urls.stepFunctions,
      ...gateway.endpoints,
      // REST API (v1) routes are served under the stage, as API Gateway's default endpoint does.
      ...Object.fromEntries(
        Object.entries(plan.offline).map(([name, { httpPort }]) => [
          camelCase(name),
          `http://127.0.0.1:${httpPort}/${stage}`,
        ]),
      ),
    }
    const planned = cloudView(
      { plan, endpoints: plannedEndpoints, functionEnv: baseEnv, outputs: {}, authorize, log },
      "before the resources exist (local.ts env() for serverless-offline's process)",
    )
    const offlineStarted = Date.now()
    const offlineReady = startOfflines(
      plan,
      (service) => offlineInputs(plan, service, { ...deployedEnv(baseEnv), ...service.local.env?.(planned) }),
      life,
      echo,
    ).then(() =>
      log(`serverless-offline ready for ${Object.keys(plan.offline).join(', ')} in ${since(offlineStarted)}`),
    )
    // Awaited below; a failure meanwhile is not unhandled.
    offlineReady.catch(() => {})

    const standIns = await startStandIns(plan, life, {
      ...(echo ? { echo } : {}),
      ...(options.java ? { java: options.java } : {}),
    })
    log(`stand-ins ready in ${Date.now() - startedAt} ms`)

    const provisionStarted = Date.now()
    const provisioned = await provisionServices(plan, {
      printing,
      standIns,
      localOutputs: (service, outputs) =>
        service.local.outputs?.(
          cloudView(
            { plan, endpoints: plannedEndpoints, functionEnv: baseEnv, outputs, standIns, authorize, log },
            'in local.ts outputs()',
          ),
        ) ?? {},
      log,
    })
    log(`resources ready in ${since(provisionStarted)}`)

    const functionEnv = { ...baseEnv, ...provisioned.cognitoEnv }
    const endpoints: LocalEndpoints = { ...plannedEndpoints, cognito: provisioned.cognito }
    const parts: CloudParts = {
      plan,
      endpoints,
      functionEnv,
      outputs: provisioned.outputs,
      provisioned,
      standIns,
      authorize,
      log,
    }
    // `cloud.lambda` reads the cloud (services' env()) only when a function first runs.
    const functions = deployedFunctions({
      plan,
      provisioned: provisioned.services,
      iam,
      environmentOf: (service) => ({ ...deployedEnv(functionEnv), ...service.local.env?.(cloud) }),
      life,
      log,
    })
    const cloud = cloudView({ ...parts, lambda: functions.lambda }, 'yet')

    // Every function's credentials exist before any runs; its role's policies once the templates are packaged.
    writeOfflineFunctionEnvironments(plan, provisioned.services, functions)
    const iamReady = iam.resolve(
      [...provisioned.services.values()].map((service) => ({
        name: service.name,
        dir: plan.services.find((candidate) => candidate.name === service.name)!.dir,
        inCompose: Boolean(plan.services.find((candidate) => candidate.name === service.name)?.compose),
        params: service.params,
        context: service.context,
      })),
      provisioned.outputs,
    )
    iamReady.catch(() => {})

    // The public ports open only now: no request reaches a function before its environment is written.
    await startApiGateways(
      plan,
      new Map([...provisioned.services].map(([name, service]) => [name, service.printed])),
      life,
    )
    await offlineReady

    await wireServices(plan.services, cloud, life)
    const demoUser = options.seed
      ? await seedServices(plan.services, cloud, standIns.clients.cognito)
      : undefined
    // Last, so a service's entries may name what others set up; the same object the services saw.
    for (const service of plan.services) Object.assign(endpoints, service.local.endpoints?.(cloud))
    const iamStarted = Date.now()
    await iamReady
    if (Date.now() - iamStarted > 100) log(`iam: waited ${since(iamStarted)} for the roles`)

    const services: ServiceState[] = plan.services.map((service) => {
      const resources = provisioned.services.get(service.name)
      return {
        name: service.name,
        dir: service.dir,
        local: service.local,
        ...(service.compose ? { compose: service.compose } : {}),
        ...(resources
          ? {
              printed: resources.printed,
              printCached: resources.printCached,
              derived: resources.derived,
              provisioned: resources.provisioned,
            }
          : {}),
        skippedOutputs: provisioned.skippedOutputs.get(service.name) ?? [],
      }
    })
    return {
      ...cloud,
      services,
      ...(demoUser ? { demoUser } : {}),
      readyInMs: Date.now() - startedAt,
      iamReport: () => iam.report(),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}
