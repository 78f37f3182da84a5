/**
 * The functions as deployed, once the resources exist: each one's environment resolved from its
 * serverless.yml against the local resources, the cloud's endpoints over it, its role session's
 * credentials. serverless-offline's functions get theirs through the functions file
 * (`writeOfflineFunctionEnvironments`); the ones the wiring invokes run in sandboxes of their own,
 * each started at its first invocation (`cloud.lambda`).
 */
import type { LocalIam } from '../iam/local-iam'
import { type LambdaDefinition, lambdaDefinition } from '../lambda/environment'
import { writeOfflineFunctions } from '../lambda/offline-sandbox'
import { type LocalFunction, startLocalFunction } from '../lambda/runtime'
import type { Lifetime } from './lifetime'
import type { CloudPlan, PlannedService } from './plan'
import type { ProvisionedService } from './provision'

export interface DeployedFunctions {
  /** A function's definition as deployed (environment resolved, credentials its role's). */
  definition(service: string, key: string): LambdaDefinition
  /** The wired function's sandbox, one per function for the cloud's lifetime. */
  lambda(service: string, key: string): LocalFunction
}

export interface DeployedFunctionsOptions {
  plan: CloudPlan
  provisioned: ReadonlyMap<string, ProvisionedService>
  iam: LocalIam
  /** The environment every deployed function has of the cloud, plus the service's `env()`. */
  environmentOf(service: PlannedService): Record<string, string>
  life: Lifetime
  log(line: string): void
}

export const deployedFunctions = (options: DeployedFunctionsOptions): DeployedFunctions => {
  const { plan, provisioned, iam, environmentOf, life, log } = options
  const sandboxes = new Map<string, LocalFunction>()
  // Stopped after the wiring that invokes them (registered before it).
  life.add(async () => {
    await Promise.all([...sandboxes.values()].map((fn) => fn.stop()))
  })
  const definition = (name: string, key: string): LambdaDefinition => {
    const service = plan.services.find((candidate) => candidate.name === name)
    const resources = provisioned.get(name)
    if (!service || !resources)
      throw new Error(`${name}: no resolved serverless.yml with local resources, so no function ${key}`)
    const deployed = lambdaDefinition({
      printed: resources.printed,
      key,
      intrinsics: resources.context,
      overrides: environmentOf(service),
      service: name,
    })
    return { ...deployed, environment: { ...deployed.environment, ...iam.credentialsEnv(deployed.name) } }
  }
  return {
    definition,
    lambda(name, key) {
      const id = `${name}/${key}`
      const existing = sandboxes.get(id)
      if (existing) return existing
      const deployed = definition(name, key)
      for (const { name: variable, reason } of deployed.unresolved)
        log(`${name}: ${deployed.name} ${variable} has no local value (${reason})`)
      const fn = startLocalFunction({
        ...deployed,
        serviceDir: plan.services.find((s) => s.name === name)!.dir,
      })
      sandboxes.set(id, fn)
      return fn
    },
  }
}

/** Writes every serverless-offline function's deployed environment for ../lambda/offline-preload.cjs. */
export const writeOfflineFunctionEnvironments = (
  plan: CloudPlan,
  provisioned: ReadonlyMap<string, ProvisionedService>,
  functions: DeployedFunctions,
): void => {
  const environments: Record<string, Record<string, string>> = {}
  for (const name of Object.keys(plan.offline)) {
    for (const key of Object.keys(provisioned.get(name)?.printed.functions ?? {})) {
      const deployed = functions.definition(name, key)
      environments[deployed.name] = deployed.environment
    }
  }
  writeOfflineFunctions(plan.dataDir, environments)
}
