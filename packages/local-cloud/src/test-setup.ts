/**
 * Root vitest `globalSetup` (see ./testing.ts for how tests use it). Starts one local cloud per
 * run, in vitest's main process, only when the run selects `*.integration.test.ts` or
 * `*.e2e.test.ts` files. Which services: for files under `services/<name>/`, that service (plus
 * its compose dependencies); for integration files anywhere else (e.g. the drift test here), all.
 * `LOCAL_CLOUD_VERBOSE=1` echoes every stand-in's output.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { repoRoot, startLocalCloud } from './cloud'
import { formatReport } from './iam/report'
import type { LocalCloudForTests } from './testing'

const needsCloud = /\.(integration|e2e)\.test\.[cm]?[jt]sx?$/

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
  }
  return [...services]
}

// The run's selected files. `vitest.state` is not a documented API: if a future vitest drops it,
// we start the cloud (correct, only slower) rather than guess that nothing needs it.
const selectedFiles = (project: TestProject): string[] | undefined => {
  const state = (project.vitest as unknown as { state?: { getPaths?: () => string[] } }).state
  return state?.getPaths?.()
}

export default async function setup(project: TestProject) {
  const files = selectedFiles(project)
  const services = files ? servicesFor(files, repoRoot) : undefined
  if (services === null) {
    project.provide('localCloud', null)
    return
  }
  const verbose = Boolean(process.env.LOCAL_CLOUD_VERBOSE)
  const lines: string[] = []
  const cloud = await startLocalCloud({
    ports: 'auto',
    fresh: true,
    ...(services ? { services } : {}),
    log: (line) => (verbose ? console.log(`[local-cloud] ${line}`) : lines.push(line)),
    ...(verbose ? { echo: (line: string) => console.log(line) } : {}),
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
      const file = join(repoRoot, 'test-results', 'iam-report.json')
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
      console.log(`${formatReport(report)[0]} (test-results/iam-report.json)`)
    }
    await cloud.stop()
  }
}
