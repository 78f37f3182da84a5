/**
 * Phase 5, provision: per service in compose order (a service's params need its upstreams'
 * outputs), its printed serverless.yml with the real params, the resources derived from it created
 * in the stand-ins (../provision.ts), identity pool ids, and its Outputs evaluated. Returns them;
 * the first user pool in compose order (todo-api's) is the cloud's Cognito endpoint.
 */
import {
  type IntrinsicContext,
  isCreated,
  resolveParams as resolveComposeParams,
  resolveIntrinsics,
  UnresolvableError,
} from '@app/cloudformation'
import { websocketApiIdOf, websocketApiLogicalId } from '../iam/execute-api'
import { type Provisioned, provision } from '../provision'
import type { LocalEndpoints } from '../service'
import { identityPoolIdOf } from '../standins/cognito-identity'
import { withTemplateOnlyIdentifiers } from '../template/identifiers'
import { type PrintedService, substituteParams } from '../template/print'
import { type DerivedResources, deriveResources } from '../template/resources'
import { accountId, type CloudPlan, type PlannedService, region, stage } from './plan'
import { type Printing, printedWith } from './print'
import type { StandIns } from './standins'

export interface ProvisionedService {
  readonly name: string
  /** The resolved serverless.yml, compose params substituted. */
  readonly printed: PrintedService
  readonly printCached: boolean
  readonly params: Record<string, string>
  readonly derived: DerivedResources
  readonly provisioned: Provisioned
  /** What the service's intrinsics resolve against: its stack, the local resources' refs and attributes. */
  readonly context: IntrinsicContext & { readonly stackName: string }
}

export interface ProvisionedCloud {
  /** Services with a serverless.yml, by name. */
  readonly services: ReadonlyMap<string, ProvisionedService>
  /** Every service's outputs (local values, `local.ts` `outputs()`, markers for the rest). */
  readonly outputs: Record<string, Record<string, string>>
  /** Outputs with no local value, with the reason, by service. */
  readonly skippedOutputs: ReadonlyMap<string, { name: string; reason: string }[]>
  readonly cognito: LocalEndpoints['cognito']
  /** The foundation pool's issuer and clients, for every function's environment. */
  readonly cognitoEnv: Record<string, string>
}

export interface ProvisionOptions {
  printing: ReadonlyMap<string, Printing>
  standIns: StandIns
  /** `local.ts` `outputs()` of a service, given the outputs of the services before it. */
  localOutputs(
    service: PlannedService,
    outputs: Record<string, Record<string, string>>,
  ): Record<string, string>
  log(line: string): void
}

const provisionOne = async (
  plan: CloudPlan,
  service: PlannedService,
  params: Record<string, string>,
  options: ProvisionOptions,
) => {
  const { standIns, log } = options
  const print = await printedWith(plan, service, options.printing.get(service.name)!, params, log)
  if (!print) return undefined
  const printed = substituteParams(print.printed, params)
  const stackName = `${printed.service}-${stage}`
  const resources = printed.resources?.Resources ?? {}
  const conditions = printed.resources?.Conditions
  const stack = { region, accountId, stackName, ...(conditions ? { conditions } : {}) }
  const derived = deriveResources(resources, stack)
  const created = await provision(derived, standIns.clients, {
    region,
    cognitoEndpoint: standIns.endpoints.cognito,
    log: (line) => log(`${service.name}: ${line}`),
  })
  // Identity pools live in the local Cognito Identity stand-in; their ids follow from the template.
  const identityPools = Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Cognito::IdentityPool' && isCreated(resource, stack))
    .map(([logicalId]) => [logicalId, identityPoolIdOf(region, stackName, logicalId)] as const)
  // The WebSocket API Serverless generates at package time (not in `sls print`) is served by the
  // service's serverless-offline: its id is the one the AWS gateway routes `@connections` calls by.
  const websocketApi =
    plan.offline[service.name]?.websocketPort === undefined
      ? []
      : [[websocketApiLogicalId, websocketApiIdOf(service.name, stage)] as const]
  const provisioned: Provisioned = {
    ...created,
    refs: { ...created.refs, ...Object.fromEntries(identityPools), ...Object.fromEntries(websocketApi) },
  }
  // Topics, queues, keys and the like exist locally in-process: their ARNs follow from the template.
  const context: IntrinsicContext & { readonly stackName: string } = withTemplateOnlyIdentifiers(resources, {
    ...stack,
    ...provisioned,
  })
  const outputs: Record<string, string> = {}
  const skipped: { name: string; reason: string }[] = []
  for (const [name, output] of Object.entries(printed.resources?.Outputs ?? {})) {
    // An output whose Condition is false is not in the stack: no value, not even a marker.
    if (!isCreated(output, context)) continue
    try {
      outputs[name] = String(resolveIntrinsics(output.Value, context))
    } catch (error) {
      if (!(error instanceof UnresolvableError)) throw error
      skipped.push({ name, reason: error.message })
    }
  }
  log(`${service.name}: resources ready`)
  const result: ProvisionedService = {
    name: service.name,
    printed,
    printCached: print.cached,
    params,
    derived,
    provisioned,
    context,
  }
  return { result, outputs, skipped, identityPoolId: identityPools[0]?.[1] }
}

export const provisionServices = async (
  plan: CloudPlan,
  options: ProvisionOptions,
): Promise<ProvisionedCloud> => {
  const services = new Map<string, ProvisionedService>()
  const outputs: Record<string, Record<string, string>> = {}
  const skippedOutputs = new Map<string, { name: string; reason: string }[]>()
  let identityPoolId: string | undefined
  for (const service of plan.services) {
    const params = service.compose ? resolveComposeParams(service.compose, outputs) : {}
    const one = await provisionOne(plan, service, params, options)
    if (one) {
      services.set(service.name, one.result)
      identityPoolId ??= one.identityPoolId
    }
    const local = options.localOutputs(service, outputs)
    const skipped = (one?.skipped ?? []).filter((output) => !(output.name in local))
    skippedOutputs.set(service.name, skipped)
    outputs[service.name] = {
      ...one?.outputs,
      ...local,
      // Downstream templates still need a value to print: an ARN-shaped marker that says what it is.
      ...Object.fromEntries(
        skipped.map((output) => [
          output.name,
          `arn:aws:local:${region}:${accountId}:unavailable-locally/${service.name}/${output.name}`,
        ]),
      ),
    }
  }
  // The foundation pool: the first in compose order (todo-api's).
  const pool = [...services.values()].flatMap((service) => service.provisioned.userPools)[0]
  const endpoint = options.standIns.endpoints.cognito
  return {
    services,
    outputs,
    skippedOutputs,
    cognito: {
      endpoint,
      userPoolId: pool?.id ?? '',
      clientId: pool?.clients[0]?.id ?? '',
      ...(identityPoolId ? { identityPoolId } : {}),
    },
    cognitoEnv: pool
      ? {
          COGNITO_ISSUER: `${endpoint}/${pool.id}`,
          COGNITO_CLIENT_IDS: pool.clients.map((client) => client.id).join(','),
        }
      : {},
  }
}
