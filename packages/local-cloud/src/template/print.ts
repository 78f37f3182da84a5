/**
 * The resolved serverless.yml of a service, as `sls print` (osls) gives it: variables, params and
 * `${file()}`s resolved, CloudFormation short forms (`!Ref`) turned into long forms. It is the one
 * source of truth for local resources. `sls print` costs 1.5-3 s per service, so results are cached
 * under `.local/cache/` keyed by a hash of the service's YAML files, the param names and osls' version.
 *
 * Compose params (`${todo-api.UserPoolId}`) change whenever local ids change (every test run gets a
 * fresh pool), so they are printed as placeholders and substituted afterwards: the cache stays warm.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

export interface PrintedService {
  service: string
  provider: { name: string; stage: string; region: string; environment?: Record<string, unknown> }
  functions?: Record<
    string,
    { handler?: string; events?: Record<string, unknown>[]; environment?: Record<string, unknown> }
  >
  resources?: { Resources?: Record<string, CfnResource>; Outputs?: Record<string, { Value: unknown }> }
  [key: string]: unknown
}

export interface CfnResource {
  Type: string
  Properties?: Record<string, unknown>
  [key: string]: unknown
}

const placeholder = (name: string) => `__local_cloud_param_${name}__`

/** Replaces the placeholders of `params` in every string of the printed config. */
export const substituteParams = <T>(printed: T, params: Record<string, string>): T =>
  JSON.parse(JSON.stringify(printed), (_key, value: unknown) => {
    if (typeof value !== 'string') return value
    let result = value
    for (const [name, actual] of Object.entries(params)) result = result.replaceAll(placeholder(name), actual)
    return result
  }) as T

export interface PrintOptions {
  serviceDir: string
  rootDir: string
  stage: string
  /** Names of the compose params; their values are substituted after printing. */
  paramNames: string[]
  cacheDir: string
}

const slsEntry = (rootDir: string) => join(rootDir, 'node_modules', 'serverless', 'bin', 'serverless.js')

const cacheKey = ({ serviceDir, rootDir, stage, paramNames }: PrintOptions): string => {
  const hash = createHash('sha256')
  hash.update(readFileSync(join(rootDir, 'node_modules', 'serverless', 'package.json')))
  hash.update(`stage=${stage};params=${[...paramNames].sort().join(',')}`)
  // serverless.yml and any YAML/JSON it may pull in with ${file(...)} next to it.
  for (const file of readdirSync(serviceDir).sort()) {
    if (/\.(ya?ml|json)$/.test(file) && file !== 'package.json') {
      hash.update(file)
      hash.update(readFileSync(join(serviceDir, file)))
    }
  }
  return hash.digest('hex').slice(0, 16)
}

/**
 * `sls print --format json --stage <stage>`, from the cache when the inputs are unchanged.
 * Param values come back as placeholders: pass the result through `substituteParams`.
 */
export const printService = async (
  options: PrintOptions,
): Promise<{ printed: PrintedService; cached: boolean }> => {
  const { serviceDir, rootDir, stage, paramNames, cacheDir } = options
  const file = join(cacheDir, `${serviceDir.split('/').at(-1)}-${cacheKey(options)}.json`)
  let text: string | undefined
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    // Not cached yet.
  }
  const cached = text !== undefined
  if (text === undefined) {
    const args = ['print', '--format', 'json', '--stage', stage]
    for (const name of paramNames) args.push('--param', `${name}=${placeholder(name)}`)
    const { stdout } = await promisify(execFile)(process.execPath, [slsEntry(rootDir), ...args], {
      cwd: serviceDir,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: Error & { stderr?: string; stdout?: string }) => {
      throw new Error(
        `sls print failed in ${serviceDir}:\n${error.stderr || error.stdout || error.message}`,
        {
          cause: error,
        },
      )
    })
    // osls may print warnings before the document.
    text = stdout.slice(stdout.indexOf('{'))
    JSON.parse(text)
    mkdirSync(cacheDir, { recursive: true })
    // Parallel test runs may print the same service: write aside, then rename atomically.
    writeFileSync(`${file}.${process.pid}.tmp`, text)
    renameSync(`${file}.${process.pid}.tmp`, file)
  }
  return { printed: JSON.parse(text) as PrintedService, cached }
}
