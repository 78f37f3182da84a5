/**
 * The packaged templates the policy tests read: `.build/templates/<stage>/<service>.json`, produced by
 * `pnpm package` (or by the test run's global setup, which packages only what changed). Services that
 * compose lists but whose engineers have not written a serverless.yml yet are reported, never skipped
 * silently.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CfnTemplate } from '@app/cloudformation'
import { readCompose } from '@app/cloudformation'
import { packageStage, type StageReport, templatePath, templatesDir } from './build/package'

export const ROOT_DIR = join(import.meta.dirname, '..', '..', '..')
/** The stages every template is checked for: the dev-like default and production. */
export const STAGES = ['dev', 'prod'] as const

export interface PackagedTemplate {
  readonly service: string
  readonly stage: string
  readonly path: string
  readonly template: CfnTemplate
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Whether a lock holder is still running (EPERM: alive, owned by someone else). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Runs `fn` holding the packaging lock (`.build/templates/.lock`), so `pnpm package`, the policy test
 * and services' template tests never package into the same folders at once.
 */
export const withPackagingLock = <T>(fn: () => Promise<T>): Promise<T> =>
  withLock(join(ROOT_DIR, '.build', 'templates'), fn)

/** A lock folder holding its owner's pid; a dead owner's lock is taken over. */
const withLock = async <T>(dir: string, fn: () => Promise<T>): Promise<T> => {
  mkdirSync(dir, { recursive: true })
  const lock = join(dir, '.lock')
  const owner = join(lock, 'pid')
  for (;;) {
    try {
      mkdirSync(lock)
      writeFileSync(owner, String(process.pid))
      break
    } catch {
      // A holder that died (Ctrl-C, killed worker) leaves the folder behind: take it over.
      const pid = existsSync(owner) ? Number(readFileSync(owner, 'utf8')) : Number.NaN
      const age = existsSync(lock) ? Date.now() - statSync(lock).mtimeMs : 0
      if ((Number.isInteger(pid) && pid > 0 && !alive(pid)) || (Number.isNaN(pid) && age > 10_000)) {
        rmSync(lock, { recursive: true, force: true })
        continue
      }
      await sleep(250)
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/**
 * Packages every stage (cached by input hash); returns one report per stage. The stages run side by
 * side, one `sls package` each at a time: two at once on the 2-core machines, and the dependency
 * waves of one stage overlap with the other's. `bundles: false`: templates only (the local cloud's).
 */
export const ensurePackaged = (
  stages: readonly string[] = STAGES,
  log: (line: string) => void = () => {},
  { bundles = true }: { bundles?: boolean } = {},
): Promise<StageReport[]> =>
  withPackagingLock(() =>
    Promise.all(
      stages.map((stage) => packageStage({ rootDir: ROOT_DIR, stage, log, concurrency: 1, bundles })),
    ),
  )

/** The templates on disk for every compose service and stage, and the services without one. */
export const loadPackaged = (stages: readonly string[] = STAGES) => {
  const services = readCompose(ROOT_DIR)
  const templates: PackagedTemplate[] = []
  const missing: { service: string; stage: string }[] = []
  for (const stage of stages) {
    for (const { name } of services) {
      const path = templatePath(ROOT_DIR, stage, name)
      if (existsSync(path)) {
        templates.push({
          service: name,
          stage,
          path,
          template: JSON.parse(readFileSync(path, 'utf8')) as CfnTemplate,
        })
      } else {
        missing.push({ service: name, stage })
      }
    }
  }
  const reports = stages.flatMap((stage) => {
    const file = join(templatesDir(ROOT_DIR, stage), 'report.json')
    return existsSync(file) ? [JSON.parse(readFileSync(file, 'utf8')) as StageReport] : []
  })
  return { templates, missing, reports }
}

/** One packaged template (packaging first if its inputs changed): for services' own template tests. */
export const loadTemplate = async (service: string, stage = 'dev'): Promise<CfnTemplate> => {
  const [report] = await ensurePackaged([stage])
  const result = report?.services.find((entry) => entry.name === service)
  if (!result || !('templatePath' in result)) {
    throw new Error(
      `${service} (${stage}) was not packaged: ${result && 'reason' in result ? result.reason : 'not in compose'}`,
    )
  }
  return JSON.parse(readFileSync(result.templatePath, 'utf8')) as CfnTemplate
}
