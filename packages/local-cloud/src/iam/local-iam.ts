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
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageFolder, packageStage, templatePath, templatesDir } from '@app/template-policy/build'
import type { CfnTemplate } from '@app/template-policy/template'
import { withPackagingLock } from '@app/template-policy/templates'
import type { IntrinsicContext } from '../template/intrinsics'
import { type IamMode, type Principal, type RunningAwsGateway, startAwsGateway } from './aws-gateway'
import {
  credentialsMinter,
  functionIdentities,
  type PolicyDocument,
  resourcePolicies,
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
  upstreams: Record<string, string>
  log: (line: string) => void
}

export interface IamService {
  name: string
  dir: string
  /** In serverless-compose.yml (packaged with the stage); otherwise packaged on its own. */
  inCompose: boolean
  params: Record<string, string>
  context: IntrinsicContext
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

/**
 * State machines run on the local Step Functions host, not as provisioned stand-ins: their ARNs
 * follow from the names the template gives them.
 */
const withStateMachines = (
  resources: CfnTemplate['Resources'],
  context: IntrinsicContext,
): IntrinsicContext => {
  const refs = { ...context.refs }
  const attributes = { ...context.attributes }
  for (const [logicalId, resource] of Object.entries(resources ?? {})) {
    const name = resource.Properties?.StateMachineName
    if (resource.Type !== 'AWS::StepFunctions::StateMachine' || typeof name !== 'string') continue
    const arn = `arn:aws:states:${context.region}:${context.accountId}:stateMachine:${name}`
    refs[logicalId] = arn
    attributes[logicalId] = { Arn: arn, Name: name }
  }
  return { ...context, refs, attributes }
}

const packagedTemplates = async (
  services: readonly IamService[],
  options: Pick<LocalIamOptions, 'rootDir' | 'dataDir' | 'region' | 'log'>,
  stage: string,
): Promise<Map<string, CfnTemplate>> => {
  const { rootDir, dataDir, region, log } = options
  if (services.some((service) => service.inCompose)) {
    const started = Date.now()
    const report = await withPackagingLock(() =>
      packageStage({ rootDir, stage, log: (line) => log(`iam: ${line}`) }),
    )
    const failed = report.services.filter((service) => service.status === 'failed')
    if (failed.length)
      throw new Error(
        `packaging for IAM failed: ${failed.map((f) => `${f.name}: ${'reason' in f ? f.reason : ''}`).join('; ')}`,
      )
    log(`iam: templates for stage ${stage} ready in ${Date.now() - started} ms`)
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
          }),
    )
  }
  return templates
}

export const startLocalIam = async (options: LocalIamOptions): Promise<LocalIam> => {
  const { mode, rootDir, region, accountId, log } = options
  if (mode === 'off') {
    return {
      mode,
      endpoints: {},
      noCredentials: {},
      credentialsEnv: () => ({}),
      resolve: async () => {},
      report: () => undefined,
      stop: async () => {},
    }
  }
  const minter = credentialsMinter()
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
    },
    noCredentials,
    credentialsEnv: (functionName) => credentialVariables(minter.mint(functionName)),
    async resolve(services, outputs) {
      try {
        const stage = services[0]?.context.stackName.split('-').at(-1) ?? 'local'
        const templates = await packagedTemplates(services, options, stage)
        const swaps = stubSwaps(rootDir, stage, outputs)
        const principals: Principal[] = []
        const policies = new Map<string, PolicyDocument>()
        for (const service of services) {
          const resources = templates.get(service.name)?.Resources ?? {}
          const context = withStateMachines(resources, service.context)
          for (const identity of functionIdentities(service.name, resources, context, swaps))
            principals.push({ identity, credentials: minter.mint(identity.functionName) })
          for (const [arn, policy] of resourcePolicies(resources, context, swaps)) policies.set(arn, policy)
        }
        gateway.setPrincipals(principals, policies)
      } catch (error) {
        gateway.failPrincipals(error as Error)
        throw error
      }
    },
    report: () => gateway.report(),
    stop: () => gateway.stop(),
  }
}
