/**
 * `pnpm bench local-cloud`: time for `pnpm dev` to be ready (every endpoint answering), as a user
 * sees it: from spawning `pnpm dev` to its "Ready" line. Cold = `--fresh` with an empty `sls print`
 * cache; warm = data and cache from the previous run. Median of RUNS (default 3) each.
 * Runs beside a `pnpm dev` of your own: ports shifted by 20000, data in `.local/bench` (removed at
 * the end). Goal (issue #2): warm <= 20 s.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from '../src/cloud'
import { assertPortFree, defaultPorts } from '../src/ports'

const runs = Number(process.env.RUNS ?? 3)
const portOffset = 20_000
const dataDir = join(repoRoot, '.local', 'bench')

interface Measure {
  wallMs: number
  standInsMs: number
}

const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.pid === undefined) return
  const exited = once(child, 'exit')
  process.kill(-child.pid, 'SIGTERM')
  await exited
}

const measure = async (cold: boolean): Promise<Measure> => {
  if (cold) rmSync(join(repoRoot, '.local', 'cache'), { recursive: true, force: true })
  const started = performance.now()
  const args = [
    'dev',
    '--port-offset',
    String(portOffset),
    '--data-dir',
    dataDir,
    ...(cold ? ['--fresh'] : []),
  ]
  const child = spawn('pnpm', args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  try {
    return await new Promise<Measure>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString('utf8')
        if (/Ready in /.test(output)) {
          resolve({
            wallMs: performance.now() - started,
            standInsMs: Number(/stand-ins ready in (\d+) ms/.exec(output)?.[1] ?? Number.NaN),
          })
        }
      }
      child.stdout?.on('data', onData)
      child.stderr?.on('data', onData)
      child.once('exit', (code) => reject(new Error(`pnpm dev exited with ${code} before ready:\n${output}`)))
    })
  } finally {
    await stop(child)
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

for (const [name, port] of Object.entries(defaultPorts)) {
  await assertPortFree(port + portOffset, `the benchmark's pnpm dev (${name})`)
}

const results: { scenario: string; runs: Measure[] }[] = []
for (const scenario of ['cold', 'warm'] as const) {
  const measured: Measure[] = []
  for (let run = 0; run < runs; run++) {
    // Cold runs wipe first; the first warm run follows the last cold one, so its cache and data exist.
    const result = await measure(scenario === 'cold')
    console.log(`${scenario} run ${run + 1}: ${(result.wallMs / 1000).toFixed(1)} s`)
    measured.push(result)
  }
  results.push({ scenario, runs: measured })
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const { cpus, loadavg } = await import('node:os')
console.log(
  `\npnpm dev time to ready (${runs} runs each, median; ${cpus().length} cores, load average now ${loadavg()
    .map((value) => value.toFixed(1))
    .join(' ')}: other work on the machine slows every figure)`,
)
console.log('| scenario | ready (median) | min | max | stand-ins ready (median) |')
console.log('| --- | --- | --- | --- | --- |')
for (const { scenario, runs: measured } of results) {
  const wall = measured.map((item) => item.wallMs)
  console.log(
    `| ${scenario === 'cold' ? 'cold (--fresh, empty sls print cache)' : 'warm (data + cache kept)'} | ${seconds(median(wall))} | ${seconds(Math.min(...wall))} | ${seconds(Math.max(...wall))} | ${seconds(median(measured.map((item) => item.standInsMs)))} |`,
  )
}
const warm = median(results.find((item) => item.scenario === 'warm')?.runs.map((item) => item.wallMs) ?? [])
rmSync(dataDir, { recursive: true, force: true })
console.log(`\nGoal: warm <= 20 s -> ${warm <= 20_000 ? 'met' : 'NOT met'} (${seconds(warm)})`)
