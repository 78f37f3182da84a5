/**
 * Shared by the workflows e2e files: packaging the service as for a deploy, test users, polling.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { readCompose, resolveComposeParams } from '@app/local-cloud/compose'
import { printService, substituteParams } from '@app/local-cloud/template/print'
import { type LocalCloudForTests, signUpAndSignIn } from '@app/local-cloud/testing'
import {
  type CloudFormationTemplate,
  modelFromPrinted,
  type PrintedConfig,
  type ServiceModel,
} from '@app/local-cloud/wiring/step-functions'

export const serviceDir = join(import.meta.dirname, '..')
const rootDir = join(serviceDir, '..', '..')

/** This run's compose params of the service (user pool, uploads bucket), from the upstream outputs. */
export const composeParams = (cloud: LocalCloudForTests): Record<string, string> => {
  const compose = readCompose(rootDir).find((service) => service.name === 'workflows')
  return compose ? resolveComposeParams(compose, cloud.outputs) : {}
}

/**
 * `sls package` of the service, exactly as a deploy packages it (esbuild bundles, serverless-step-functions
 * definitions), with compose inputs passed as `--param`. Returns the CloudFormation template.
 */
export const packageService = async (
  stage: string,
  params: Record<string, string>,
): Promise<CloudFormationTemplate> => {
  const out = mkdtempSync(join(tmpdir(), 'workflows-package-'))
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
    return JSON.parse(
      readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as CloudFormationTemplate
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
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

/**
 * Polls until `read` returns a value `done` accepts. Bounded by attempts, not by a clock: the
 * assertion is about the outcome, and a slow machine only takes more polls.
 */
export const eventually = async <T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  attempts = 600,
): Promise<T> => {
  let value = await read()
  for (let attempt = 1; attempt < attempts && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    value = await read()
  }
  return value
}
