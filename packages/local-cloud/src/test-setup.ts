/**
 * Root vitest `globalSetup` (see ./testing.ts for how tests use it). Starts one local cloud per
 * run, in vitest's main process, only when the run selects `*.integration.test.ts` or
 * `*.e2e.test.ts` files. Which services: for files under `services/<name>/`, that service (plus
 * its compose dependencies); for integration files anywhere else (e.g. the drift test here), all.
 * Local functions' and stand-ins' output goes to one log file per run under test-results/local-cloud/
 * (its path printed at the end; CI keeps test-results/ as an artefact), and a failing test prints
 * that log's last lines (./log-tail-reporter.ts). `LOCAL_CLOUD_VERBOSE=1` echoes everything instead.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import type { TestProject } from 'vitest/node'
import { repoRoot, startLocalCloud } from './cloud'
import { formatReport } from './iam/report'
import type { LocalCloudForTests } from './testing'

const needsCloud = /\.(integration|e2e)\.test\.[cm]?[jt]sx?$/

/**
 * A test that needs services beyond its own and their compose dependencies (e.g. blog-site's studio
 * test needs realtime, which depends on blog-site) names them in its first lines:
 * `@local-cloud-services realtime`.
 */
const extraServicesOf = (file: string): string[] => {
  let head: string
  try {
    head = readFileSync(file, 'utf8').slice(0, 4000)
  } catch {
    return []
  }
  return (
    /@local-cloud-services\s+([a-z0-9 ,-]+)/
      .exec(head)?.[1]
      ?.split(/[\s,]+/)
      .filter(Boolean) ?? []
  )
}

/** The services the selected test files need, or undefined for all; null when none need the cloud. */
export const servicesFor = (files: string[], rootDir: string): string[] | undefined | null => {
  const selected = files.filter((file) => needsCloud.test(file))
  if (!selected.length) return null
  const services = new Set<string>()
  for (const file of selected) {
    const match = file.startsWith(`${rootDir}/services/`)
      ? /^services\/([^/]+)\//.exec(file.slice(rootDir.length + 1))
      : null
    if (!match?.[1]) return undefined
    services.add(match[1])
    for (const extra of extraServicesOf(file)) services.add(extra)
  }
  return [...services]
}

// The run's selected files. `vitest.state` is not a documented API: if a future vitest drops it,
// we start the cloud (correct, only slower) rather than guess that nothing needs it.
const selectedFiles = (project: TestProject): string[] | undefined => {
  const state = (project.vitest as unknown as { state?: { getPaths?: () => string[] } }).state
  return state?.getPaths?.()
}

/**
 * The run's own temp directory (TMPDIR for every test worker and whatever it spawns): `sls package`,
 * serverless-esbuild and osls leave a folder per function in the temp directory, so a run would
 * otherwise leave hundreds behind. Removed when the run ends.
 */
const useRunTempDir = (): (() => void) => {
  const dir = mkdtempSync(join(tmpdir(), 'serverless-classics-test-'))
  const previous = process.env.TMPDIR
  process.env.TMPDIR = dir
  return () => {
    rmSync(dir, { recursive: true, force: true })
    if (previous === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = previous
  }
}

export default async function setup(project: TestProject) {
  const removeTempDir = useRunTempDir()
  const files = selectedFiles(project)
  const services = files ? servicesFor(files, repoRoot) : undefined
  if (services === null) {
    project.provide('localCloud', null)
    return removeTempDir
  }
  const verbose = Boolean(process.env.LOCAL_CLOUD_VERBOSE)
  const lines: string[] = []
  // Set before any test worker starts, so functions started there log to the same file.
  if (!verbose) process.env.LOCAL_CLOUD_LOG_FILE = runLogFile()
  const toLog = (line: string) => appendFileSync(process.env.LOCAL_CLOUD_LOG_FILE!, `${line}\n`)
  const cloud = await startLocalCloud({
    ports: 'auto',
    fresh: true,
    ...(services ? { services } : {}),
    log: (line) =>
      verbose ? console.log(`[local-cloud] ${line}`) : (lines.push(line), toLog(`[local-cloud] ${line}`)),
    echo: verbose ? (line: string) => console.log(line) : toLog,
  }).catch((error: Error) => {
    throw new Error(
      `The local cloud for integration tests failed to start: ${error.message}\n${lines.join('\n')}`,
      {
        cause: error,
      },
    )
  })
  const forTests: LocalCloudForTests = {
    endpoints: cloud.endpoints,
    functionEnv: { ...cloud.functionEnv },
    outputs: cloud.outputs,
    offline: cloud.offline,
    region: cloud.region,
    stage: cloud.stage,
    services: cloud.services.map((service) => ({
      name: service.name,
      dir: service.dir,
      ...(service.printed ? { config: service.printed } : {}),
    })),
  }
  project.provide('localCloud', forTests)
  return async () => {
    // The run's IAM report (what each function called against what its role grants), kept for CI.
    const report = cloud.iamReport()
    if (report) {
      const reportFile = join(repoRoot, 'test-results', 'iam-report.json')
      mkdirSync(dirname(reportFile), { recursive: true })
      writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`)
      console.log(`${formatReport(report)[0]} (test-results/iam-report.json)`)
    }
    await cloud.stop()
    removeTempDir()
    const file = process.env.LOCAL_CLOUD_LOG_FILE
    if (file)
      console.log(`Local functions' and stand-ins' logs of this run: ${relative(process.cwd(), file)}`)
  }
}

/** A new log file for this run: test-results/local-cloud/<time>.log. */
const runLogFile = (): string => {
  const dir = join(repoRoot, 'test-results', 'local-cloud')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${new Date().toISOString().replaceAll(':', '-')}.log`)
  appendFileSync(file, '')
  return file
}
