/**
 * IAM for the local cloud: starts the AWS gateway (./aws-gateway.ts) in front of the stand-ins,
 * gives every local function its role session's credentials (as Lambda does, in its environment),
 * and derives who may do what from the packaged templates (`pnpm package --stage local`).
 *
 * - Functions run by serverless-offline get their credentials from ./lambda-credentials.cjs, loaded
 *   into each of its worker threads (`--require`), which looks its function name up in a file only
 *   the local cloud writes. Functions the wiring runs (`cloud.lambda`) get them in their environment.
 * - Both call the stand-ins through the gateway; the local cloud itself (provisioning, seeding,
 *   tests' admin clients) talks to the stand-ins directly, as CloudFormation and an administrator
 *   would.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
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
  /** What serverless-offline's environment needs so that ./lambda-credentials.cjs finds each function's credentials. */
  readonly offline: { env: Record<string, string> }
  /** The function's role session credentials as Lambda variables (admin-free), or {} when off. */
  credentialsEnv(functionName: string): Record<string, string>
  /** Records which functions exist (before any runs), so serverless-offline's can find theirs. */
  registerFunctions(names: readonly string[]): void
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

/** Preloaded into serverless-offline (`node --require`): see the file. */
export const lambdaCredentialsPreload = join(import.meta.dirname, 'lambda-credentials.cjs')

export const startLocalIam = async (options: LocalIamOptions): Promise<LocalIam> => {
  const { mode, rootDir, dataDir, region, accountId, log } = options
  const credentialsFile = join(dataDir, 'iam', 'credentials.json')
  const offline = { env: { LOCAL_CLOUD_CREDENTIALS_FILE: credentialsFile, ...noCredentials } }
  if (mode === 'off') {
    return {
      mode,
      endpoints: {},
      offline: { env: {} },
      credentialsEnv: () => ({}),
      registerFunctions: () => {},
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
  const known = new Map<string, Credentials>()
  return {
    mode,
    endpoints: {
      AWS_ENDPOINT_URL_DYNAMODB: gateway.url,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: gateway.url,
      AWS_ENDPOINT_URL_S3: gateway.url,
      AWS_ENDPOINT_URL_SESV2: gateway.url,
      AWS_ENDPOINT_URL_SFN: gateway.url,
    },
    offline,
    credentialsEnv: (functionName) =>
      credentialVariables(known.get(functionName) ?? minter.mint(functionName)),
    registerFunctions(names) {
      for (const name of names) known.set(name, minter.mint(name))
      mkdirSync(join(dataDir, 'iam'), { recursive: true })
      writeFileSync(credentialsFile, JSON.stringify(Object.fromEntries(known)), { mode: 0o600 })
    },
    async resolve(services, outputs) {
      try {
        const stage = services[0]?.context.stackName.split('-').at(-1) ?? 'local'
        const templates = new Map<string, CfnTemplate>()
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
        for (const service of services) {
          if (service.inCompose) {
            templates.set(
              service.name,
              JSON.parse(readFileSync(templatePath(rootDir, stage, service.name), 'utf8')),
            )
          } else {
            const artifacts = join(dataDir, 'iam', 'packages', service.name)
            templates.set(
              service.name,
              await packageFolder({ folder: service.dir, stage, region, artifacts, params: service.params }),
            )
          }
        }
        const swaps = stubSwaps(rootDir, stage, outputs)
        const principals: Principal[] = []
        const policies = new Map<string, PolicyDocument>()
        for (const service of services) {
          const resources = templates.get(service.name)?.Resources ?? {}
          for (const identity of functionIdentities(service.name, resources, service.context, swaps)) {
            const credentials = known.get(identity.functionName) ?? minter.mint(identity.functionName)
            principals.push({ identity, credentials })
          }
          for (const [arn, policy] of resourcePolicies(resources, service.context, swaps))
            policies.set(arn, policy)
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
