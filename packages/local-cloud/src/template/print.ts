/**
 * The resolved serverless.yml of a service, as `sls print` (osls) gives it: variables, params and
 * `${file()}`s resolved, CloudFormation short forms (`!Ref`) turned into long forms. It is the one
 * source of truth for local resources. `sls print` costs 1.5-3 s per service, so results are cached
 * under `.local/cache/` keyed by a hash of the service's YAML files, the param names and osls' version.
 *
 * Compose params (`${todo-api.UserPoolId}`) change whenever local ids change (every test run gets a
 * fresh pool), so they are printed as placeholders and substituted afterwards: the cache stays warm.
 * A placeholder is shaped like an ARN (osls validates ARN-typed settings such as a stream event's
 * `arn` while printing); a template that still refuses it is printed with the real values instead.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import type { CfnOutput, CfnResource } from '@app/cloudformation'

export interface PrintedService {
  service: string
  provider: { name: string; stage: string; region: string; environment?: Record<string, unknown> }
  functions?: Record<
    string,
    {
      handler?: string
      /** The deployed function name; `sls print` fills it in (`<service>-<stage>-<key>` unless set). */
      name?: string
      memorySize?: number | string
      timeout?: number | string
      events?: Record<string, unknown>[]
      environment?: Record<string, unknown>
    }
  >
  resources?: {
    Resources?: Record<string, CfnResource>
    Outputs?: Record<string, CfnOutput>
    Conditions?: Record<string, unknown>
  }
  [key: string]: unknown
}

const placeholder = (name: string) =>
  `arn:aws:dynamodb:us-east-1:000000000000:table/local-cloud-param-${name}/stream/2000-01-01T00:00:00.000`

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
  /** Print with these values instead of placeholders (cache keyed by them). */
  paramValues?: Record<string, string>
  cacheDir: string
}

// `${env:X, fallback}` in a template must print its fallback (the AWS value): the cache is shared,
// and the local values are handed to serverless-offline at run time, not baked into the print.
const printEnvironment = () =>
  Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(COGNITO_|AWS_ENDPOINT_URL)/.test(key)))

const slsEntry = (rootDir: string) => join(rootDir, 'node_modules', 'serverless', 'bin', 'serverless.js')

const notConfig = new Set([
  'node_modules',
  '.serverless',
  '.esbuild',
  '.local',
  'src',
  'test',
  'bench',
  'dist',
])

const configFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return notConfig.has(entry.name) ? [] : configFiles(path)
      return /\.(ya?ml|json|c?js|mjs)$/.test(entry.name) && entry.name !== 'package.json' ? [path] : []
    })

const cacheKey = ({ serviceDir, rootDir, stage, paramNames, paramValues }: PrintOptions): string => {
  const hash = createHash('sha256')
  hash.update(readFileSync(join(rootDir, 'node_modules', 'serverless', 'package.json')))
  hash.update(`stage=${stage};params=${[...paramNames].sort().join(',')}`)
  if (paramValues) hash.update(JSON.stringify(Object.entries(paramValues).sort()))
  // serverless.yml and what it may pull in: ${file(...)} YAML/JSON (resources.yml, state
  // machines) and local plugins (serverless/*.cjs), which can change the printed config.
  for (const file of configFiles(serviceDir)) {
    hash.update(relative(serviceDir, file))
    hash.update(readFileSync(file))
  }
  // The blocks every service shares (provider, plugins, esbuild) come from serverless-ops' shape file.
  const shared = join(rootDir, 'packages', 'serverless-ops', 'service.cjs')
  if (existsSync(shared)) hash.update(readFileSync(shared))
  return hash.digest('hex').slice(0, 16)
}

/**
 * `sls print --format json --stage <stage>`, from the cache when the inputs are unchanged.
 * Param values come back as placeholders: pass the result through `substituteParams`.
 */
export const printService = async (
  options: PrintOptions,
): Promise<{ printed: PrintedService; cached: boolean }> => {
  const { serviceDir, rootDir, stage, paramNames, paramValues, cacheDir } = options
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
    for (const name of paramNames) args.push('--param', `${name}=${paramValues?.[name] ?? placeholder(name)}`)
    const { stdout } = await promisify(execFile)(process.execPath, [slsEntry(rootDir), ...args], {
      cwd: serviceDir,
      env: { ...printEnvironment(), SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
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
