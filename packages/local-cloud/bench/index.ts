/**
 * `pnpm bench local-cloud`: time for `pnpm dev` to be ready (every endpoint answering), as a user
 * sees it: from spawning it to its "Ready in" line, cold and warm.
 * - cold: a fresh clone's state: no data (`--fresh`), no `sls print` cache (`.local/cache`), no
 *   packaged `local` templates (`.build/templates/local`, `.build/packages/local`), no bundles or
 *   packager folders of its own (services' `node_modules/.cache/local-cloud/offline-<port>`,
 *   `node_modules/.cache/sls-package-local`). tsx's compile cache (shared by every tsx run) stays.
 * - warm: data and caches from the run before, nothing changed.
 * With `BENCH_BASELINE_REF=<git ref>` (e.g. `main`), the runner as of that commit
 * (`packages/local-cloud` extracted from git, everything else as checked out) runs in the same
 * rounds, interleaved with ours, so both figures come from the same load; the table gives ratios.
 * RUNS rounds (default 2), each run stopped after RUN_TIMEOUT_S (default 300 s); no round starts
 * after BENCH_BUDGET_S (default 1500 s). Ports are shifted by 20000 and data kept in
 * `.local/bench-*` (removed at the end), so it runs beside a `pnpm dev` of your own; a cold run
 * does drop that one's `sls print` cache and packaged templates (it re-creates them on its next start).
 * Goal (issue 9): warm <= 8 s, cold <= 20 s on this 2-core machine.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { repoRoot } from '../src/cloud'
import { assertPortFree, defaultPorts } from '../src/ports'

const runs = Number(process.env.RUNS ?? 2)
const runTimeoutMs = Number(process.env.RUN_TIMEOUT_S ?? 300) * 1000
const budgetMs = Number(process.env.BENCH_BUDGET_S ?? 1500) * 1000
const baselineRef = process.env.BENCH_BASELINE_REF
const portOffset = 20_000
const benchStarted = performance.now()

interface Contender {
  name: string
  /** The `pnpm dev` entry (cli.ts) of this contender. */
  cli: string
  dataDir: string
}

interface Measure {
  wallMs: number
  standInsMs: number
  /** The run's own progress lines with their times (what each phase took). */
  lines: string[]
}

/** The runner as of `ref`, beside ours (same depth, so its repoRoot is this checkout; same node_modules). */
const baselineAt = (ref: string): Contender & { commit: string } => {
  const commit = execFileSync('git', ['-C', repoRoot, 'rev-parse', '--short', ref], {
    encoding: 'utf8',
  }).trim()
  const dir = join(repoRoot, 'packages', '.local-cloud-baseline')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const tar = execFileSync('git', ['-C', repoRoot, 'archive', '--format=tar', ref, 'packages/local-cloud'])
  execFileSync('tar', ['-x', '-C', dir, '--strip-components=2'], { input: tar })
  symlinkSync(join(repoRoot, 'packages', 'local-cloud', 'node_modules'), join(dir, 'node_modules'))
  return {
    name: `${ref} (${commit})`,
    commit,
    cli: join(dir, 'src', 'cli.ts'),
    dataDir: join(repoRoot, '.local', 'bench-baseline'),
  }
}

const ours: Contender = {
  name: 'this branch',
  cli: join(repoRoot, 'packages', 'local-cloud', 'src', 'cli.ts'),
  dataDir: join(repoRoot, '.local', 'bench-ours'),
}

/** Everything a fresh clone lacks (see the module comment), limited to what the benchmark's runs made. */
const wipeCaches = (contender: Contender) => {
  for (const path of [
    join(repoRoot, '.local', 'cache'),
    join(repoRoot, '.build', 'templates', 'local'),
    join(repoRoot, '.build', 'packages', 'local'),
    contender.dataDir,
  ])
    rmSync(path, { recursive: true, force: true })
  for (const service of readdirSync(join(repoRoot, 'services'))) {
    const cache = join(repoRoot, 'services', service, 'node_modules', '.cache')
    rmSync(join(cache, 'sls-package-local'), { recursive: true, force: true })
    if (!existsSync(join(cache, 'local-cloud'))) continue
    // Ours are named after the shifted public ports (>= 20000); a baseline's after random ports.
    for (const folder of readdirSync(join(cache, 'local-cloud')))
      if (Number(folder.split('-').at(-1)) >= portOffset)
        rmSync(join(cache, 'local-cloud', folder), { recursive: true, force: true })
  }
}

/**
 * Stops a run and waits until its ports are free: pnpm exits at once on SIGTERM, the runner under it
 * takes a moment to stop its children, and the next run must not find its ports taken.
 */
const stop = async (child: ChildProcess) => {
  if (child.exitCode === null && child.pid !== undefined) {
    const exited = once(child, 'exit')
    process.kill(-child.pid, 'SIGTERM')
    await exited
  }
  const deadline = performance.now() + 30_000
  for (const [name, port] of Object.entries(defaultPorts))
    for (;;) {
      try {
        await assertPortFree(port + portOffset, `the next run (${name})`)
        break
      } catch (error) {
        if (performance.now() > deadline) throw error
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
}

const measure = async (contender: Contender, cold: boolean): Promise<Measure> => {
  if (cold) wipeCaches(contender)
  const started = performance.now()
  const args = [
    'exec',
    'tsx',
    contender.cli,
    '--port-offset',
    String(portOffset),
    '--data-dir',
    contender.dataDir,
    ...(cold ? ['--fresh'] : []),
  ]
  const child = spawn('pnpm', args, { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const timer = setTimeout(() => void stop(child), runTimeoutMs)
  try {
    return await new Promise<Measure>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8')
        if (/Ready in /.test(output)) {
          resolve({
            wallMs: performance.now() - started,
            standInsMs: Number(/stand-ins ready in (\d+) ms/.exec(output)?.[1] ?? Number.NaN),
            lines: output.split('\n').filter((line) => /^\s+\[\s*[\d.]+ s\]/.test(line)),
          })
        }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', onData)
      child.once('exit', (code) =>
        reject(
          new Error(
            `${contender.name}: pnpm dev exited (${code}) before ready (timeout ${runTimeoutMs / 1000} s?):\n${output}`,
          ),
        ),
      )
    })
  } finally {
    clearTimeout(timer)
    await stop(child)
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}
const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'n/a')

for (const [name, port] of Object.entries(defaultPorts)) {
  await assertPortFree(port + portOffset, `the benchmark's pnpm dev (${name})`)
}

const baseline = baselineRef ? baselineAt(baselineRef) : undefined
const contenders = [ours, ...(baseline ? [baseline] : [])]
type Scenario = 'cold' | 'warm'
const results = new Map<string, Measure[]>()
const key = (contender: Contender, scenario: Scenario) => `${contender.name}/${scenario}`
let rounds = 0
try {
  for (let round = 0; round < runs; round++) {
    if (round > 0 && performance.now() - benchStarted > budgetMs) {
      console.log(`budget of ${budgetMs / 1000} s spent: ${round} of ${runs} rounds run`)
      break
    }
    // Per contender a cold run, then a warm one on what it left; contenders alternate within a round.
    for (const scenario of ['cold', 'warm'] as const)
      for (const contender of contenders) {
        const result = await measure(contender, scenario === 'cold')
        console.log(
          `round ${round + 1} ${scenario} ${contender.name}: ${seconds(result.wallMs)} (load ${loadavg()[0]?.toFixed(1)})`,
        )
        if (process.env.BENCH_VERBOSE) console.log(result.lines.join('\n'))
        results.set(key(contender, scenario), [...(results.get(key(contender, scenario)) ?? []), result])
      }
    rounds++
  }
} finally {
  for (const contender of contenders) rmSync(contender.dataDir, { recursive: true, force: true })
  if (baseline) rmSync(join(repoRoot, 'packages', '.local-cloud-baseline'), { recursive: true, force: true })
}

console.log(
  `\npnpm dev time to ready (median of ${rounds} round(s); ${cpus().length} cores, load average now ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}: other work on the machine slows every figure)\n`,
)
const wall = (contender: Contender, scenario: Scenario) =>
  median(results.get(key(contender, scenario))?.map((item) => item.wallMs) ?? [])
console.log(
  `| scenario | ${contenders.map((c) => c.name).join(' | ')}${baseline ? ' | ours / baseline' : ''} |`,
)
console.log(`| --- | ${contenders.map(() => '---:').join(' | ')}${baseline ? ' | ---:' : ''} |`)
for (const scenario of ['cold', 'warm'] as const) {
  const figures = contenders.map((contender) => wall(contender, scenario))
  const ratio = baseline ? ` | ${((figures[0] ?? 0) / (figures[1] ?? Number.NaN)).toFixed(2)}` : ''
  console.log(
    `| ${scenario === 'cold' ? 'cold (fresh clone state)' : 'warm (nothing changed)'} | ${figures.map(seconds).join(' | ')}${ratio} |`,
  )
}
const goals = { cold: 20_000, warm: 8_000 }
for (const scenario of ['cold', 'warm'] as const) {
  const figure = wall(ours, scenario)
  console.log(
    `Goal ${scenario} <= ${goals[scenario] / 1000} s: ${figure <= goals[scenario] ? 'met' : 'NOT met'} (${seconds(figure)})`,
  )
}
