/**
 * IAM for the local cloud: starts the AWS gateway (./aws-gateway.ts) in front of the stand-ins,
 * mints every local function its role session's credentials (they reach the function in its
 * environment, as in Lambda: ../lambda/offline-sandbox.ts for serverless-offline, the sandbox's
 * environment for `cloud.lambda`), and derives who may do what from the packaged templates
 * (`pnpm package --stage local`).
 *
 * - Functions call the stand-ins through the gateway; the local cloud itself (provisioning, seeding,
 *   tests' admin clients) talks to the stand-ins directly, as CloudFormation and an administrator
 *   would.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CfnTemplate, type IntrinsicContext, isCreated } from '@app/cloudformation'
import { packageFolder, packageStage, templatePath, templatesDir } from '@app/template-policy/build'
import { withPackagingLock } from '@app/template-policy/templates'
import type { AssumedRole, CognitoIdentityOptions, IdentityPoolConfig } from '../standins/cognito-identity'
import { withTemplateOnlyIdentifiers } from '../template/identifiers'
import {
  type IamMode,
  type Principal,
  type RunningAwsGateway,
  type ServiceVerdict,
  startAwsGateway,
} from './aws-gateway'
import { type Delivery, type DeliveryIndex, deliveryCalls, deliveryIndexOf } from './deliveries'
import {
  credentialsMinter,
  documentResolver,
  functionIdentities,
  type PolicyDocument,
  resourcePolicies,
  roleArnOf,
  rolePolicies,
  type StubSwap,
} from './identities'
import type { IamReport } from './report'
import type { Credentials } from './sigv4'

export interface LocalIamOptions {
  mode: IamMode
  port: number
  region: string
  accountId: string
  rootDir: string
  dataDir: string
  /** The stage whose templates give the roles (`local`). */
  stage: string
  /**
   * Package the compose stage at once (some service is in serverless-compose.yml): it needs no
   * local value, so it runs while the stand-ins start, and `resolve` only waits for what is left.
   */
  packageCompose: boolean
  upstreams: Record<string, string>
  log: (line: string) => void
}

export interface IamService {
  name: string
  dir: string
  /** In serverless-compose.yml (packaged with the stage); otherwise packaged on its own. */
  inCompose: boolean
  params: Record<string, string>
  /** The stack's intrinsics context (the local cloud always knows its stack name). */
  context: IntrinsicContext & { stackName: string }
}

export interface LocalIam {
  readonly mode: IamMode
  /** Endpoint overrides for deployed functions (the gateway), empty when off. */
  readonly endpoints: Record<string, string>
  /** Credentials a deployed function's environment starts with: none a stand-in accepts ({} when off). */
  readonly noCredentials: Record<string, string>
  /** The function's role session credentials as Lambda variables (admin-free), or {} when off. */
  credentialsEnv(functionName: string): Record<string, string>
  /** Packages the templates and hands the roles to the gateway; requests wait until then. */
  resolve(services: readonly IamService[], outputs: Record<string, Record<string, string>>): Promise<void>
  /** The identity pools the templates declare (once resolved). */
  identityPools(): readonly IdentityPoolConfig[]
  /**
   * Whether AWS would let one of its services make this delivery for the templates (./deliveries.ts);
   * a refusal is logged and in the report. With IAM off, everything proceeds.
   */
  authorize(delivery: Delivery): Promise<ServiceVerdict>
  /** STS AssumeRoleWithWebIdentity for an identity pool: a session of a template role with its context. */
  assumeRole(request: Parameters<CognitoIdentityOptions['assumeRole']>[0]): Promise<AssumedRole>
  report(): IamReport | undefined
  stop(): Promise<void>
}

const credentialVariables = (credentials: Credentials): Record<string, string> => ({
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_SESSION_TOKEN: credentials.sessionToken ?? '',
})

/** Credentials no stand-in accepts: what a function without a role of its own is left with. */
const noCredentials = { AWS_ACCESS_KEY_ID: 'no-role-for-this-function', AWS_SECRET_ACCESS_KEY: 'none' }

interface StubbedOutputs {
  outputs?: Record<string, Record<string, { value?: string }>>
}

/** Stub values the packager put in place of compose outputs, and the local cloud's real ones. */
const stubSwaps = (
  rootDir: string,
  stage: string,
  outputs: Record<string, Record<string, string>>,
): StubSwap[] => {
  let stubbed: StubbedOutputs = {}
  try {
    stubbed = JSON.parse(
      readFileSync(join(templatesDir(rootDir, stage), 'outputs.json'), 'utf8'),
    ) as StubbedOutputs
  } catch {
    return []
  }
  const swaps: StubSwap[] = []
  for (const [service, byName] of Object.entries(stubbed.outputs ?? {}))
    for (const [name, { value }] of Object.entries(byName)) {
      const actual = outputs[service]?.[name]
      if (value && actual && value !== actual && !actual.startsWith('arn:aws:local:'))
        swaps.push({ stub: value, actual })
    }
  // Longest first: an ARN stub may contain a shorter name stub.
  return swaps.sort((a, b) => b.stub.length - a.stub.length)
}

type Resources = NonNullable<CfnTemplate['Resources']>

/** The identity pools of one template, resolved against the local resources. */
const identityPoolsOf = (resources: Resources, resolve: (value: unknown) => unknown): IdentityPoolConfig[] =>
  Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Cognito::IdentityPool')
    .map(([logicalId, resource]) => {
      const byPool = (type: string) =>
        Object.values(resources).filter(
          (other) =>
            other.Type === type &&
            (other.Properties?.IdentityPoolId as { Ref?: string } | undefined)?.Ref === logicalId,
        )
      const providers = new Map<string, string[]>()
      for (const provider of (resource.Properties?.CognitoIdentityProviders as Record<string, unknown>[]) ??
        []) {
        const name = String(resolve(provider.ProviderName))
        providers.set(name, [...(providers.get(name) ?? []), String(resolve(provider.ClientId))])
      }
      const roles = byPool('AWS::Cognito::IdentityPoolRoleAttachment')[0]?.Properties?.Roles as
        | { authenticated?: unknown }
        | undefined
      const principalTags: IdentityPoolConfig['principalTags'] = {}
      for (const tags of byPool('AWS::Cognito::IdentityPoolPrincipalTag'))
        principalTags[String(resolve(tags.Properties?.IdentityProviderName))] = (tags.Properties
          ?.PrincipalTags ?? {}) as Record<string, string>
      return {
        id: String(resolve({ Ref: logicalId })),
        name: String(resource.Properties?.IdentityPoolName ?? logicalId),
        providers: [...providers].map(([providerName, clientIds]) => ({ providerName, clientIds })),
        ...(roles?.authenticated ? { authenticatedRoleArn: String(resolve(roles.authenticated)) } : {}),
        principalTags,
      }
    })

/** `pnpm package --stage <stage>` for the compose services (cached by input hash in template-policy). */
const packageComposeStage = async (options: Pick<LocalIamOptions, 'rootDir' | 'stage' | 'log'>) => {
  const { rootDir, stage, log } = options
  const started = Date.now()
  const report = await withPackagingLock(() =>
    // Roles and policies only: no function's code is bundled (template-policy's no-bundles.cjs).
    packageStage({ rootDir, stage, bundles: false, log: (line) => log(`iam: ${line}`) }),
  )
  const failed = report.services.filter((service) => service.status === 'failed')
  if (failed.length)
    throw new Error(
      `packaging for IAM failed: ${failed.map((f) => `${f.name}: ${'reason' in f ? f.reason : ''}`).join('; ')}`,
    )
  log(`iam: templates for stage ${stage} ready in ${Date.now() - started} ms`)
}

const packagedTemplates = async (
  services: readonly IamService[],
  options: Pick<LocalIamOptions, 'rootDir' | 'dataDir' | 'region' | 'stage'>,
  composePackaging: Promise<void> | undefined,
): Promise<Map<string, CfnTemplate>> => {
  const { rootDir, dataDir, region, stage } = options
  if (services.some((service) => service.inCompose)) {
    if (!composePackaging) throw new Error('a compose service, but the compose stage was not packaged')
    await composePackaging
  }
  const templates = new Map<string, CfnTemplate>()
  for (const service of services) {
    templates.set(
      service.name,
      service.inCompose
        ? (JSON.parse(readFileSync(templatePath(rootDir, stage, service.name), 'utf8')) as CfnTemplate)
        : await packageFolder({
            folder: service.dir,
            stage,
            region,
            artifacts: join(dataDir, 'iam', 'packages', service.name),
            params: service.params,
            bundles: false,
          }),
    )
  }
  return templates
}

/** With IAM off, every local call runs as the stand-ins' administrator. */
const adminCredentials: Credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

export const startLocalIam = async (options: LocalIamOptions): Promise<LocalIam> => {
  const { mode, rootDir, region, accountId, log } = options
  if (mode === 'off') {
    return {
      mode,
      endpoints: {},
      noCredentials: {},
      credentialsEnv: () => ({}),
      resolve: async () => {},
      identityPools: () => [],
      authorize: async () => ({ proceed: true }),
      // No gateway checks anything: the session is the administrator's, as every call is.
      assumeRole: async () => ({
        credentials: adminCredentials,
        expiration: new Date(Date.now() + 3_600_000),
      }),
      report: () => undefined,
      stop: async () => {},
    }
  }
  const composePackaging = options.packageCompose ? packageComposeStage(options) : undefined
  // Awaited by `resolve`; a failure surfaces there, never as an unhandled rejection meanwhile.
  composePackaging?.catch(() => {})
  const minter = credentialsMinter()
  let pools: IdentityPoolConfig[] = []
  const roles = new Map<string, ReturnType<typeof rolePolicies>>()
  const byFunction = new Map<string, Principal>()
  const sessions = new Map<string, Principal>()
  const index = {
    topicKeys: new Map<string, string>(),
    stateMachineRoles: new Map<string, string>(),
    rules: [] as DeliveryIndex['rules'][number][],
    subscriptions: [] as DeliveryIndex['subscriptions'][number][],
  } satisfies DeliveryIndex
  let resolved: Promise<void> | undefined
  const gateway: RunningAwsGateway = await startAwsGateway({
    port: options.port,
    mode,
    region,
    accountId,
    upstreams: options.upstreams,
    log,
  })
  return {
    mode,
    endpoints: {
      AWS_ENDPOINT_URL_DYNAMODB: gateway.url,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: gateway.url,
      AWS_ENDPOINT_URL_S3: gateway.url,
      AWS_ENDPOINT_URL_SESV2: gateway.url,
      AWS_ENDPOINT_URL_SFN: gateway.url,
      AWS_ENDPOINT_URL_CLOUDFRONT: gateway.url,
    },
    noCredentials,
    credentialsEnv: (functionName) => credentialVariables(minter.mint(functionName)),
    resolve(services, outputs) {
      resolved = resolveAll(services, outputs)
      return resolved
    },
    identityPools: () => pools,
    async authorize(delivery) {
      await resolved
      const calls = deliveryCalls(delivery, index, accountId)
      if (!calls.ok) {
        log(
          `iam (${mode}): ${mode === 'enforce' ? 'refused' : 'would refuse'} ${calls.what}: ${calls.reason}`,
        )
        return { proceed: mode !== 'enforce', denial: calls.reason }
      }
      const { caller } = calls
      if ('service' in caller) return gateway.authorize(caller, calls.requests, calls.what)
      const principal =
        'functionName' in caller
          ? byFunction.get(caller.functionName)
          : roleSession(caller.roleArn, caller.sessionName)
      if (!principal) {
        const reason = `no role for ${'functionName' in caller ? caller.functionName : caller.roleArn} in the templates`
        log(`iam (${mode}): ${calls.what}: ${reason}`)
        return { proceed: mode !== 'enforce', denial: reason }
      }
      return gateway.authorize(principal, calls.requests, calls.what)
    },
    async assumeRole({ roleArn, sessionName, context, sessionTags }) {
      await resolved
      const role = roles.get(roleArn)
      if (!role) throw new Error(`no role ${roleArn} in the packaged templates`)
      const credentials = randomCredentials()
      gateway.addPrincipal({
        identity: {
          service: 'cognito-identity',
          // One report entry per role session name, not per identity.
          functionName: `${role.roleName}/${sessionName}`,
          roleArn,
          sessionArn: `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${sessionName}`,
          policies: role.policies,
          unevaluatedManagedPolicies: role.unevaluatedManagedPolicies,
        },
        credentials,
        context: {
          ...context,
          ...Object.fromEntries(
            Object.entries(sessionTags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value]),
          ),
        },
      })
      return { credentials, expiration: new Date(Date.now() + 3_600_000) }
    },
    report: () => gateway.report(),
    stop: () => gateway.stop(),
  }

  /** A session of a template role that is not a function's (a state machine's), one per role. */
  function roleSession(roleArn: string, sessionName: string): Principal | undefined {
    const role = roles.get(roleArn)
    if (!role) return undefined
    const existing = sessions.get(roleArn)
    if (existing) return existing
    const principal: Principal = {
      identity: {
        service: 'states',
        functionName: `${role.roleName} (role)`,
        roleArn,
        sessionArn: `arn:aws:sts::${accountId}:assumed-role/${role.roleName}/${sessionName}`,
        policies: role.policies,
        unevaluatedManagedPolicies: role.unevaluatedManagedPolicies,
      },
      credentials: randomCredentials(),
    }
    sessions.set(roleArn, principal)
    return principal
  }

  async function resolveAll(
    services: readonly IamService[],
    outputs: Record<string, Record<string, string>>,
  ) {
    try {
      const templates = await packagedTemplates(services, options, composePackaging)
      const swaps = stubSwaps(rootDir, options.stage, outputs)
      const principals: Principal[] = []
      const policies = new Map<string, PolicyDocument>()
      for (const service of services) {
        const template = templates.get(service.name)
        const conditions = template?.Conditions ?? service.context.conditions
        // What CloudFormation creates: a resource whose Condition is false has no role, policy or path.
        const stack = { ...service.context, ...(conditions ? { conditions } : {}) }
        const resources = Object.fromEntries(
          Object.entries(template?.Resources ?? {}).filter(([, resource]) => isCreated(resource, stack)),
        )
        const context = withTemplateOnlyIdentifiers(resources, stack)
        const resolve = documentResolver(context, swaps)
        for (const identity of functionIdentities(service.name, resources, context, swaps)) {
          const principal = { identity, credentials: minter.mint(identity.functionName) }
          principals.push(principal)
          byFunction.set(identity.functionName, principal)
        }
        const paths = deliveryIndexOf(resources, resolve)
        for (const [topic, key] of paths.topicKeys) index.topicKeys.set(topic, key)
        for (const [machine, role] of paths.stateMachineRoles) index.stateMachineRoles.set(machine, role)
        index.rules.push(...paths.rules)
        index.subscriptions.push(...paths.subscriptions)
        for (const [arn, policy] of resourcePolicies(resources, context, swaps)) policies.set(arn, policy)
        for (const [logicalId, resource] of Object.entries(resources))
          if (resource.Type === 'AWS::IAM::Role')
            roles.set(
              roleArnOf(resources, logicalId, resolve, accountId),
              rolePolicies(resources, logicalId, resolve),
            )
        pools = [...pools, ...identityPoolsOf(resources, resolve)]
      }
      gateway.setPrincipals(principals, policies)
      // Known to the report from the start, so a role never used shows its statements as unused.
      for (const [machineArn, roleArn] of index.stateMachineRoles) {
        const session = roleSession(roleArn, machineArn.split(':').at(-1)!)
        if (session) gateway.addPrincipal(session)
      }
    } catch (error) {
      gateway.failPrincipals(error as Error)
      throw error
    }
  }
}

/** Temporary credentials of an STS session: random, known only to the gateway that registered them. */
const randomCredentials = (): Credentials => ({
  accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64'),
  sessionToken: randomBytes(48).toString('base64'),
})
