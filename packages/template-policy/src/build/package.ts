/**
 * Offline packaging of every compose service for one stage: `sls package` per service in compose
 * dependency order, each given its params on the command line exactly as `@osls/compose` passes them
 * (`--stage`, `--param k=v`, `--region`, `--config`), with upstream outputs stubbed from the upstream's
 * own packaged template (see stubs.ts). No AWS credentials are read: the environment is scrubbed.
 *
 * Results land in `.build/templates/<stage>/<service>.json` (+ `.meta.json` with the input hash, and
 * `outputs.json` with every stubbed output and the expression it stands for). A service whose inputs
 * hash the same as last time is not packaged again.
 */
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, relative } from 'node:path'
import {
  type CfnTemplate,
  type ComposeService,
  deployWaves,
  readCompose,
  resolveParams,
} from '@app/cloudformation'
import { STUB_ACCOUNT_ID, type StubOutput, stubOutputs } from './stubs'

export const DEFAULT_REGION = 'us-east-1'

export interface PackageOptions {
  readonly rootDir: string
  readonly stage: string
  readonly region?: string
  /** Package even when the inputs hash matches the last run. */
  readonly force?: boolean
  /** Services packaged side by side within one dependency wave. */
  readonly concurrency?: number
  /**
   * Bundle the functions' code (default true). `false`: the template only, each function's zip an
   * empty placeholder (./no-bundles.cjs), for readers of roles and resources (the local cloud).
   */
  readonly bundles?: boolean
  readonly log?: (line: string) => void
}

export type ServiceResult =
  | {
      readonly name: string
      readonly status: 'packaged' | 'cached'
      readonly templatePath: string
      readonly ms: number
    }
  | { readonly name: string; readonly status: 'absent' | 'blocked' | 'failed'; readonly reason: string }

export interface StageReport {
  readonly stage: string
  readonly region: string
  readonly ms: number
  readonly services: readonly ServiceResult[]
}

export const templatesDir = (rootDir: string, stage: string) => join(rootDir, '.build', 'templates', stage)
export const templatePath = (rootDir: string, stage: string, service: string) =>
  join(templatesDir(rootDir, stage), `${service}.json`)

/** The file the service is defined in, or undefined while its engineer has not written it yet. */
const definitionOf = (rootDir: string, service: ComposeService): string | undefined => {
  const candidates = service.config
    ? [service.config]
    : ['serverless.yml', 'serverless.yaml', 'serverless.ts']
  return candidates.map((file) => join(rootDir, service.path, file)).find((file) => existsSync(file))
}

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return []
    const path = join(dir, entry.name)
    return entry.isDirectory() ? walk(path) : [path]
  })

/** Tracked and untracked-but-not-ignored files under the given folders (git), or a plain walk. */
const sourceFiles = (rootDir: string, folders: readonly string[]): string[] => {
  try {
    const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z', '--', ...folders], {
      cwd: rootDir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    return out.split('\0').filter(Boolean).sort()
  } catch {
    return folders
      .filter((folder) => existsSync(join(rootDir, folder)))
      .flatMap((folder) => {
        const path = join(rootDir, folder)
        return statSync(path).isDirectory() ? walk(path).map((file) => relative(rootDir, file)) : [folder]
      })
      .sort()
  }
}

/**
 * Files that cannot shape a packaged template or its bundles: the local cloud runner (no handler
 * imports it) and, in a service, how `pnpm dev` wires it (`local.ts`), its tests and benchmarks.
 * Editing them must not re-package every service (a minute on a 2-core machine).
 */
export const notPackagingInput = (file: string, servicePath: string): boolean =>
  file.startsWith('packages/local-cloud/') ||
  file.endsWith('.test.ts') ||
  [`${servicePath}/local.ts`, `${servicePath}/test/`, `${servicePath}/bench/`].some((prefix) =>
    file.startsWith(prefix),
  )

/** Everything a packaged template can depend on: the service, the shared packages, the root config. */
const inputHash = (
  rootDir: string,
  service: ComposeService,
  stage: string,
  region: string,
  params: object,
  bundles: boolean,
) => {
  const hash = createHash('sha256')
  // The service's own compose entry (path, params as written, dependsOn, config, region) and its
  // resolved params stand for serverless-compose.yml: adding another service there (`pnpm new
  // service`) does not repackage this one. A template without bundles is another result (and the
  // hash of one with them stays what it was).
  hash.update(JSON.stringify({ stage, region, params, service, ...(bundles ? {} : { bundles }) }))
  const folders = [service.path, 'packages', 'package.json', 'pnpm-lock.yaml', 'tsconfig.base.json']
  for (const file of sourceFiles(rootDir, folders)) {
    // The policy tests do not shape templates; only the packaging code in this package does.
    if (
      file.startsWith('packages/template-policy/') &&
      !file.startsWith('packages/template-policy/src/build/')
    ) {
      continue
    }
    if (notPackagingInput(file, service.path)) continue
    const path = join(rootDir, file)
    if (!existsSync(path)) continue
    hash.update(file)
    hash.update(readFileSync(path))
  }
  return hash.digest('hex')
}

/** The environment `sls package` runs in: no credentials, no profile, no telemetry. */
const offlineEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of Object.keys(env)) {
    if (
      /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|DEFAULT_PROFILE|ROLE_ARN|WEB_IDENTITY)/.test(
        key,
      )
    ) {
      delete env[key]
    }
  }
  return {
    ...env,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_DISABLE_AUTO_UPDATE: '1',
    SLS_COMPOSE: '1',
  }
}

/** The repo's osls (`serverless` is an npm alias of osls), whatever root is being packaged. */
const SLS = join(import.meta.dirname, '..', '..', '..', '..', 'node_modules', '.bin', 'sls')
const NO_BUNDLES = join(import.meta.dirname, 'no-bundles.cjs')

/** NODE_OPTIONS for a packager without bundles: the given ones plus the preload. */
const withoutBundles = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
  ...env,
  NODE_OPTIONS: [env.NODE_OPTIONS, `--require ${NO_BUNDLES}`].filter(Boolean).join(' '),
})

/**
 * One `sls package` per service folder at a time in this process: services that do not yet read
 * `ESBUILD_WORK_FOLDER` (docs/service-conventions.md) bundle into the shared `.esbuild/`, so dev and
 * prod of the same service must not overlap. Different services do.
 */
const folderLocks = new Map<string, Promise<unknown>>()
const withFolderLock = async <T>(folder: string, fn: () => Promise<T>): Promise<T> => {
  const previous = folderLocks.get(folder) ?? Promise.resolve()
  const run = previous.catch(() => {}).then(fn)
  folderLocks.set(folder, run)
  return run
}

const runSls = (cwd: string, args: string[], workFolder: string, bundles: boolean) =>
  new Promise<void>((resolve, reject) => {
    // Its own bundle folder per stage, apart from `pnpm dev` and test runs in the same service.
    // A hung packager (e.g. an npm install stuck on the registry) fails its service, not the whole run.
    // The packagers leave a folder per function in the temp directory: theirs is ours, removed after,
    // and inside the service's node_modules, so a packager killed with its parent (Ctrl-C in a
    // starting `pnpm dev`) leaves nothing in the system temp directory.
    const cache = join(cwd, 'node_modules', '.cache')
    mkdirSync(cache, { recursive: true })
    const tempFolder = mkdtempSync(join(cache, 'sls-package-tmp-'))
    const env = { ...offlineEnv(), ESBUILD_WORK_FOLDER: workFolder, TMPDIR: tempFolder }
    const child = spawn(SLS, args, {
      cwd,
      env: bundles ? env : withoutBundles(env),
      timeout: 10 * 60_000,
      killSignal: 'SIGKILL',
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('close', (code) => {
      rmSync(tempFolder, { recursive: true, force: true })
      if (code === 0) resolve()
      else reject(new Error(`sls ${args.join(' ')} exited ${code}\n${output.trim()}`))
    })
  })

const serviceNameOf = (definition: string, fallback: string) =>
  /^service:\s*['"]?([\w-]+)/m.exec(readFileSync(definition, 'utf8'))?.[1] ?? fallback

/**
 * `sls package` of one service folder outside compose (a test fixture), offline like the rest:
 * returns its CloudFormation template.
 */
export const packageFolder = async (options: {
  folder: string
  stage: string
  region?: string
  artifacts: string
  params?: Record<string, string>
  /** See `PackageOptions.bundles`. */
  bundles?: boolean
}): Promise<CfnTemplate> => {
  const { folder, stage, artifacts, bundles = true } = options
  const args = [
    'package',
    '--stage',
    stage,
    '--region',
    options.region ?? DEFAULT_REGION,
    '--package',
    artifacts,
  ]
  for (const [key, value] of Object.entries(options.params ?? {})) args.push('--param', `${key}=${value}`)
  await withFolderLock(folder, () =>
    runSls(folder, args, join('node_modules', '.cache', `sls-package-${stage}`), bundles),
  )
  return JSON.parse(
    readFileSync(join(artifacts, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as CfnTemplate
}

/** Runs tasks with at most `limit` at once; results keep the tasks' order. */
const inParallel = async <T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> => {
  const results: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await (tasks[index] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker))
  return results
}

/** Packages every compose service for one stage (see the module comment). */
export const packageStage = async (options: PackageOptions): Promise<StageReport> => {
  const { rootDir, stage, force = false, bundles = true, log = () => {} } = options
  const started = performance.now()
  const services = readCompose(rootDir)
  const byName = new Map(services.map((service) => [service.name, service]))
  const outDir = templatesDir(rootDir, stage)
  mkdirSync(outDir, { recursive: true })
  const outputs: Record<string, Record<string, string>> = {}
  const stubs: Record<string, Record<string, StubOutput>> = {}
  const results = new Map<string, ServiceResult>()

  const packageOne = async (service: ComposeService): Promise<ServiceResult> => {
    const region = service.region ?? options.region ?? DEFAULT_REGION
    const definition = definitionOf(rootDir, service)
    if (!definition) {
      return { name: service.name, status: 'absent', reason: `no serverless.yml in ${service.path} yet` }
    }
    const unavailable = service.dependsOn.filter((name) => !outputs[name])
    if (unavailable.length) {
      return {
        name: service.name,
        status: 'blocked',
        reason: `upstream not packaged: ${unavailable.join(', ')}`,
      }
    }
    const serviceStarted = performance.now()
    try {
      const params = resolveParams(service, outputs)
      const hash = inputHash(rootDir, service, stage, region, params, bundles)
      const target = templatePath(rootDir, stage, service.name)
      const metaPath = target.replace(/\.json$/, '.meta.json')
      const previous = existsSync(metaPath)
        ? (JSON.parse(readFileSync(metaPath, 'utf8')) as { hash?: string })
        : {}
      const cached = !force && previous.hash === hash && existsSync(target)
      if (!cached) {
        const artifacts = join(rootDir, '.build', 'packages', stage, service.name)
        const args = ['package', '--stage', stage, '--region', region, '--package', artifacts]
        if (service.config) args.push('--config', service.config)
        for (const [key, value] of Object.entries(params)) args.push('--param', `${key}=${value}`)
        const folder = join(rootDir, service.path)
        const once = () =>
          runSls(folder, args, join('node_modules', '.cache', `sls-package-${stage}`), bundles)
        // osls always writes `<service>/.serverless/serverless-state.json`, whatever `--package` says, and
        // other tools in the same folder (`sls package` in a test, `pnpm dev`) delete `.serverless/`:
        // a lost race shows as ENOENT/ENOTEMPTY and is worth trying again (three attempts in all).
        const run = async (attempt = 1): Promise<void> =>
          once().catch((error: Error) => {
            if (attempt < 3 && /ENOENT|ENOTEMPTY/.test(error.message)) return run(attempt + 1)
            throw error
          })
        // One packager per service folder at a time, whatever the stage: osls writes the template into
        // `<service>/.serverless/` before copying it to `--package`, so two stages packaged at once
        // swap templates (prod got dev's). ESBUILD_WORK_FOLDER keeps bundles apart, not that folder.
        await withFolderLock(folder, () => run())
        const template = readFileSync(join(artifacts, 'cloudformation-template-update-stack.json'), 'utf8')
        writeFileSync(target, template)
        writeFileSync(metaPath, `${JSON.stringify({ hash, stage, region, params }, null, 2)}\n`)
      }
      const template = JSON.parse(readFileSync(target, 'utf8')) as CfnTemplate
      const stackName = `${serviceNameOf(definition, service.name)}-${stage}`
      stubs[service.name] = stubOutputs(template, { region, stackName })
      outputs[service.name] = Object.fromEntries(
        Object.entries(stubs[service.name] ?? {}).map(([key, stub]) => [key, stub.value]),
      )
      const ms = Math.round(performance.now() - serviceStarted)
      return { name: service.name, status: cached ? 'cached' : 'packaged', templatePath: target, ms }
    } catch (error) {
      return {
        name: service.name,
        status: 'failed',
        reason: error instanceof Error ? error.message : String(error),
      }
    }
  }

  for (const wave of deployWaves(services)) {
    const tasks = wave.map((name) => () => packageOne(byName.get(name) as ComposeService))
    const waveResults = await inParallel(tasks, options.concurrency ?? availableParallelism())
    for (const result of waveResults) {
      results.set(result.name, result)
      log(
        `${stage} ${result.name}: ${result.status} ${'ms' in result ? `in ${(result.ms / 1000).toFixed(1)} s` : result.reason}`,
      )
    }
  }

  writeFileSync(
    join(outDir, 'outputs.json'),
    `${JSON.stringify(
      {
        note: `Offline stand-ins for compose outputs (fake account ${STUB_ACCOUNT_ID}); never deployed values.`,
        outputs: stubs,
      },
      null,
      2,
    )}\n`,
  )
  const report: StageReport = {
    stage,
    region: options.region ?? DEFAULT_REGION,
    ms: Math.round(performance.now() - started),
    services: services.map((service) => results.get(service.name) as ServiceResult),
  }
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`)
  return report
}
