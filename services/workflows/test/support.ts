/**
 * Shared by the workflows e2e and integration files: packaging the service as for a deploy, test
 * users, the local stores' clients, polling.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { type CfnTemplate, readCompose, resolveParams } from '@app/cloudformation'
import { type LocalClients, localClients } from '@app/local-cloud/clients'
import { printService, substituteParams } from '@app/local-cloud/template/print'
import { type LocalCloudForTests, signUpAndSignIn } from '@app/local-cloud/testing'
import {
  modelFromPrinted,
  type PrintedConfig,
  type ServiceModel,
} from '@app/local-cloud/wiring/step-functions'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll } from 'vitest'

export const serviceDir = join(import.meta.dirname, '..')
const rootDir = join(serviceDir, '..', '..')

/**
 * This file's clients of the run's local S3 and DynamoDB, and the two reads the tests make with
 * them. Made in a `beforeAll` this call registers (call it after the file's own, which sets the
 * cloud: hooks run in order), destroyed in `afterAll`.
 */
export const localStores = (cloud: () => LocalCloudForTests) => {
  let clients: LocalClients | undefined
  beforeAll(() => {
    clients = localClients(cloud())
  })
  afterAll(() => {
    for (const client of Object.values(clients ?? {})) client.destroy()
  })
  const made = (): LocalClients => {
    if (!clients) throw new Error('localStores: used before its beforeAll')
    return clients
  }
  return {
    get s3() {
      return made().s3
    },
    get db() {
      return made().db
    },
    /** The job item, read consistently (as the status API reads it). */
    item: async (table: string, jobId: string) =>
      (await made().db.send(new GetCommand({ TableName: table, Key: { jobId }, ConsistentRead: true }))).Item,
    exists: (bucket: string, key: string) =>
      made()
        .s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
        .then(
          () => true,
          () => false,
        ),
  }
}

/** This run's compose params of the service (user pool, uploads bucket), from the upstream outputs. */
export const composeParams = (cloud: LocalCloudForTests): Record<string, string> => {
  const compose = readCompose(rootDir).find((service) => service.name === 'workflows')
  return compose ? resolveParams(compose, cloud.outputs) : {}
}

/** What `sls package` wrote: the CloudFormation template and each function's zip. */
export interface PackagedService {
  readonly template: CfnTemplate
  /** The zip of a function, by its key in serverless.yml (`package.individually`). */
  readonly zip: (functionKey: string) => Buffer
  /** Removes the package folder. */
  readonly dispose: () => void
}

/**
 * `sls package` of the service, exactly as a deploy packages it (esbuild bundles, serverless-step-functions
 * definitions, sharp installed for Lambda's platform), with compose inputs passed as `--param`.
 */
export const packageServiceArtifacts = async (
  stage: string,
  params: Record<string, string>,
): Promise<PackagedService> => {
  const out = mkdtempSync(join(tmpdir(), 'workflows-package-'))
  const dispose = () => rmSync(out, { recursive: true, force: true })
  try {
    const args = ['package', '--stage', stage, '--package', out]
    for (const [name, value] of Object.entries(params)) args.push('--param', `${name}=${value}`)
    // Local endpoint/issuer overrides must not leak into the packaged (deployable) template.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !/^(COGNITO_|AWS_ENDPOINT_URL)/.test(key)),
    )
    await promisify(execFile)(
      process.execPath,
      [join(rootDir, 'node_modules', 'serverless', 'bin', 'serverless.js'), ...args],
      {
        cwd: serviceDir,
        env: {
          ...env,
          // Relative to the service: serverless-esbuild joins it onto the service folder.
          ESBUILD_WORK_FOLDER: relative(serviceDir, join(out, 'esbuild')),
          SLS_TELEMETRY_DISABLED: '1',
          SLS_NOTIFICATIONS_MODE: 'off',
        },
        maxBuffer: 64 * 1024 * 1024,
      },
    )
    const template = JSON.parse(
      readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as CfnTemplate
    return { template, zip: (functionKey) => readFileSync(join(out, `${functionKey}.zip`)), dispose }
  } catch (error) {
    dispose()
    throw error
  }
}

/** `packageServiceArtifacts`, keeping only the template. */
export const packageService = async (stage: string, params: Record<string, string>): Promise<CfnTemplate> => {
  const packaged = await packageServiceArtifacts(stage, params)
  packaged.dispose()
  return packaged.template
}

/**
 * What `pnpm dev` runs: the model of the resolved serverless.yml (`sls print`, the runner's cached
 * print and param substitution), for comparing with the packaged template.
 */
export const printedModel = async (cloud: LocalCloudForTests): Promise<ServiceModel> => {
  const params = composeParams(cloud)
  const { printed } = await printService({
    serviceDir,
    rootDir,
    stage: cloud.stage,
    paramNames: Object.keys(params),
    cacheDir: join(rootDir, '.local', 'cache'),
  })
  return modelFromPrinted(substituteParams(printed, params) as unknown as PrintedConfig, cloud.region)
}

export type { TestUser } from '@app/local-cloud/testing'

/** A real cognito-local user of the todo-api pool: signed up, confirmed, signed in. */
export const newUser = (cloud: LocalCloudForTests) => signUpAndSignIn(cloud, 'workflows')

/** Shared with the other services' tests: fails naming what it waited for. */
export { eventually } from '@app/domain/testing'

export interface ListedExecution {
  executionArn: string
  name: string
  status: string
  input: Record<string, unknown>
}

/**
 * The run's Step Functions host as a client sees it: every execution of a machine (ListExecutions,
 * all pages) with its input (DescribeExecution, once per execution), to check what was started.
 */
export const stepFunctions = (cloud: LocalCloudForTests) => {
  const client = new SFNClient({
    endpoint: cloud.endpoints.stepFunctions,
    region: cloud.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
  const inputs = new Map<string, Record<string, unknown>>()
  const inputOf = async (executionArn: string) => {
    let input = inputs.get(executionArn)
    if (!input) {
      const described = await client.send(new DescribeExecutionCommand({ executionArn }))
      input = JSON.parse(described.input ?? '{}') as Record<string, unknown>
      inputs.set(executionArn, input)
    }
    return input
  }
  return {
    async executions(stateMachineArn: string): Promise<ListedExecution[]> {
      const listed: ListedExecution[] = []
      let nextToken: string | undefined
      do {
        const page = await client.send(new ListExecutionsCommand({ stateMachineArn, nextToken }))
        for (const execution of page.executions ?? [])
          listed.push({
            executionArn: execution.executionArn!,
            name: execution.name!,
            status: String(execution.status),
            input: await inputOf(execution.executionArn!),
          })
        nextToken = page.nextToken
      } while (nextToken)
      return listed
    },
  }
}
