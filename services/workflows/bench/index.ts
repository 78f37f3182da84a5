/**
 * `pnpm bench workflows`:
 * 1. Throughput of the text steps' logic (strip, remove whitespace, count, all three chained) on
 *    two generated 50 MB texts, mixed-language and spaced scripts only, each run side by side with
 *    `wc -w` on the same file, and peak RSS streamed vs whole-file. With
 *    `BENCH_BASELINE_REF=<git ref>` (e.g. `main`), the same steps as of that commit run in the same
 *    rows as a contender, and the bench fails if any of their results differ from ours.
 * 2. End-to-end local execution time of each state machine (median of 20), real handlers against
 *    DynamoDB Local and s3rver.
 * 3. Step Functions cost per 1,000 executions for the chosen type of each machine.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { photo } from '@app/images/fixtures'
import { startLocalCloud } from '@app/local-cloud'
import { localClients } from '@app/local-cloud/clients'
import { startStepFunctionsHost, type TemplateStateMachine } from '@app/local-cloud/wiring/step-functions'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { build } from 'esbuild'
import { localModel } from '../local'

const serviceDir = join(import.meta.dirname, '..')
const repoRoot = join(serviceDir, '..', '..')
const work = mkdtempSync(join(tmpdir(), 'workflows-bench-'))
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!

// ---------------------------------------------------------------------------------------------
// 1. Word counting
// ---------------------------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32), so every run measures the same text. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** Scripts written without spaces: the segmenter's dictionaries split them, nothing else can. */
const unspaced = ['東京都に住んでいます', '我们今天学习中文', 'สวัสดีครับ']
const mixed = [
  // English, French/German/Spanish with accents, Korean, Japanese and Chinese (no spaces), emoji, numbers.
  ...'the quick brown fox jumps over lazy dog serverless state machine word count pipeline'.split(' '),
  ...'café déjà naïve crème brûlée über Straße Ñandú señor À l’été garçon'.split(' '),
  ...'안녕하세요 세계 반갑습니다 서버리스 단어 개수 파이프라인 한국어'.split(' '),
  ...unspaced,
  ...'👍🏽 🎉 👨‍👩‍👧 ❤️'.split(' '),
  '3.14',
  '1,000',
  "don't",
]
/** The mixed vocabulary without the unspaced scripts, plus Greek and Cyrillic. */
const spaced = [
  ...mixed.filter((word) => !unspaced.includes(word)),
  ...'λόγος κόσμος ημέρα Αθήνα σύννεφο слово мир день Москва облако'.split(' '),
]
const punctuation = [' ', ' ', ' ', ' ', ', ', '. ', '! ', '? ', ' — ', '; ', '\n', '\t', '  ']

const generate = async (file: string, bytes: number, vocabulary: readonly string[]) => {
  const random = prng(42)
  const out = createWriteStream(file)
  let written = 0
  while (written < bytes) {
    let line = ''
    while (line.length < 4096) {
      line += vocabulary[Math.floor(random() * vocabulary.length)]!
      line += punctuation[Math.floor(random() * punctuation.length)]!
    }
    written += Buffer.byteLength(line)
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve) => out.end(resolve))
}

interface Measured {
  seconds: number
  /** User + system CPU time of the measured part, all threads: what other work distorts least. */
  cpuSeconds: number
  words: number
  distinct: number
  peakRssMb: number
}

/**
 * A contender is the worker bundled with esbuild against one copy of `@app/domain/text`, run by
 * plain Node as Lambda runs the handler (a tsx loader would add ~35 MB to every peak RSS).
 */
interface Contender {
  name: string
  bundle: string
}

const bundleWorker = async (name: string, textModule?: string): Promise<Contender> => {
  const bundle = join(work, `worker-${name}.mjs`)
  await build({
    entryPoints: [join(import.meta.dirname, 'wordcount-worker.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'error',
    ...(textModule && {
      alias: { '@app/domain/text': textModule },
      // The baseline's own imports (zod) resolve from the domain package as installed now.
      nodePaths: [join(repoRoot, 'packages', 'domain', 'node_modules')],
    }),
  })
  return { name, bundle }
}

/** The text steps as of `ref`, extracted from git into the work folder. */
const baselineAt = async (ref: string): Promise<Contender> => {
  const dir = join(work, 'baseline')
  mkdirSync(dir)
  const tar = execFileSync('git', [
    '-C',
    repoRoot,
    'archive',
    '--format=tar',
    ref,
    'packages/domain/src/text',
  ])
  execFileSync('tar', ['-x', '-C', dir], { input: tar })
  const commit = execFileSync('git', ['-C', repoRoot, 'rev-parse', '--short', ref], {
    encoding: 'utf8',
  }).trim()
  return bundleWorker(`${ref} (${commit})`, join(dir, 'packages', 'domain', 'src', 'text', 'index.ts'))
}

/** pnpm's additions for its own children (NODE_OPTIONS, NODE_PATH...) would change the worker's RSS. */
const workerEnv = (): NodeJS.ProcessEnv => {
  const { NODE_EXTRA_CA_CERTS: _certs, NODE_PATH: _path, NODE_OPTIONS: _options, ...rest } = process.env
  return rest
}

const runWorker = (contender: Contender, file: string, mode: string, target?: string): Measured => {
  const run = spawnSync(process.execPath, [contender.bundle, file, mode, ...(target ? [target] : [])], {
    cwd: serviceDir,
    encoding: 'utf8',
    env: workerEnv(),
    maxBuffer: 1024 * 1024,
  })
  if (run.status !== 0) throw new Error(`worker ${contender.name} ${mode} failed: ${run.stderr}`)
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Measured
}

const gnuTime = spawnSync('/usr/bin/time', ['-f', '%U', 'true'], { encoding: 'utf8' }).status === 0

/** `wc -w` on the file: wall and CPU seconds (GNU time's user + system; the wall time without it). */
const wc = (file: string): { seconds: number; cpuSeconds: number; words: number } => {
  const env = { ...process.env, LC_ALL: 'C.UTF-8' }
  const started = process.hrtime.bigint()
  const run = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', 'wc', '-w', file], { encoding: 'utf8', env })
    : spawnSync('wc', ['-w', file], { encoding: 'utf8', env })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (run.status !== 0) throw new Error(`wc failed: ${run.stderr}`)
  const [user = seconds, system = 0] = gnuTime
    ? run.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
    : []
  return { seconds, cpuSeconds: user + system, words: Number(run.stdout.trim().split(/\s+/)[0]) }
}

const RUNS = 3

const wordCounting = async () => {
  const contenders = [await bundleWorker('ours')]
  const baselineRef = process.env.BENCH_BASELINE_REF
  if (baselineRef) contenders.push(await baselineAt(baselineRef))
  const steps = ['strip', 'whitespace', 'count', 'count-raw', 'pipeline'] as const
  const label = (step: (typeof steps)[number], preparedMb: number) =>
    ({
      strip: 'strip (raw text)',
      whitespace: 'remove whitespace (raw text)',
      count: `count (Remove Whitespace output, ${preparedMb.toFixed(1)} MB)`,
      'count-raw': 'count (raw text, punctuation and all)',
      pipeline: 'all three chained (raw text)',
    })[step]

  console.log(
    '\n## Text steps: 50 MB generated texts, 64 KiB streamed chunks, each row side by side with `wc -w` on the same file\n',
  )
  console.log(
    `Median of ${RUNS} runs, each contender and \`wc -w\` (LC_ALL=C.UTF-8) interleaved, so a ratio compares runs made under the same load.` +
      ' MB/s per CPU second (user + system, measured part only), which other work on a shared machine distorts far less' +
      ' than wall time; the spread is that of the per-run ratios (each run against the wc -w run just before it), the' +
      ' wall-clock ratio is shown beside it. Peak RSS is VmHWM; 75-83 MB of it is the node binary and ICU data' +
      ' (file-backed pages: the JIT compilers, property and normalisation tables, the segmenter dictionaries).\n',
  )
  console.log(
    '| text | step | contender | MB/s (CPU) | wc -w MB/s (CPU) | ours / wc (CPU) | per-run spread | ours / wc (wall) | peak RSS | words | distinct |',
  )
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  let wholeRss = ''
  for (const [textName, vocabulary] of [
    ['mixed', mixed],
    ['spaced scripts only', spaced],
  ] as const) {
    const raw = join(work, `${textName.replaceAll(' ', '-')}.txt`)
    await generate(raw, 50 * 1024 * 1024, vocabulary)
    const rawMb = statSync(raw).size / (1024 * 1024)
    // Word Counts reads what Remove Whitespace wrote: count that, as the step does. Every
    // contender prepares its own, and they must be the same bytes.
    const prepared = contenders.map((contender, at) => {
      const file = `${raw}.prepared-${at}`
      runWorker(contender, raw, 'prepare', file)
      return file
    })
    const preparedBytes = readFileSync(prepared[0]!)
    for (const [at, file] of prepared.entries())
      if (!readFileSync(file).equals(preparedBytes))
        throw new Error(`${contenders[at]!.name}: strip + remove whitespace output differs from ours`)
    const preparedMb = preparedBytes.length / (1024 * 1024)
    for (const step of steps) {
      const file = step === 'count' ? prepared[0]! : raw
      const mb = step === 'count' ? preparedMb : rawMb
      const results = new Map<Contender, Measured[]>(contenders.map((contender) => [contender, []]))
      const wcRuns: ReturnType<typeof wc>[] = []
      for (let run = 0; run < RUNS; run++) {
        wcRuns.push(wc(raw))
        for (const contender of contenders)
          results.get(contender)!.push(runWorker(contender, file, step === 'count-raw' ? 'count' : step))
      }
      const wcCpu = median(wcRuns.map((run) => rawMb / run.cpuSeconds))
      const wcWall = median(wcRuns.map((run) => rawMb / run.seconds))
      const counted = step.startsWith('count') || step === 'pipeline'
      const ours = results.get(contenders[0]!)![0]!
      for (const [contender, runs] of results) {
        const first = runs[0]!
        if (counted && (first.words !== ours.words || first.distinct !== ours.distinct))
          throw new Error(
            `${contender.name} counted ${first.words}/${first.distinct}, ours ${ours.words}/${ours.distinct}`,
          )
        const cpu = median(runs.map((measured) => mb / measured.cpuSeconds))
        const wall = median(runs.map((measured) => mb / measured.seconds))
        // Each run against the wc -w run made just before it: the spread of the ratio under the load of the moment.
        const ratios = runs.map((measured, at) => mb / measured.cpuSeconds / (rawMb / wcRuns[at]!.cpuSeconds))
        const spread = `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`
        const peak = Math.max(...runs.map((measured) => measured.peakRssMb))
        console.log(
          `| ${textName} | ${label(step, preparedMb)} | ${contender.name} | ${cpu.toFixed(1)} | ${wcCpu.toFixed(1)} | **${(cpu / wcCpu).toFixed(2)}** | ${spread} | ${(wall / wcWall).toFixed(2)} | ${peak.toFixed(0)} MB | ${counted ? first.words : '-'} | ${counted ? first.distinct : '-'} |`,
        )
      }
    }
    console.log(`| ${textName} | wc -w | | | | 1 | | 1 | | ${wc(raw).words} | |`)
    if (textName === 'mixed') {
      const whole = runWorker(contenders[0]!, prepared[0]!, 'whole')
      wholeRss = `${whole.peakRssMb.toFixed(0)} MB (${(preparedMb / whole.seconds).toFixed(1)} MB/s)`
    }
  }
  console.log(
    `\nPeak RSS counting the mixed Remove Whitespace output read whole instead of streamed: ${wholeRss}.`,
  )
  console.log(
    'Why counting costs more than `wc -w`: wc splits bytes on ASCII/locale whitespace and counts runs; Word Counts' +
      ' also finds every distinct whitespace-separated token, segments each once with Intl.Segmenter (UAX #29 rules' +
      ' and ICU dictionaries for Chinese, Japanese, Thai: wc counts a whole sentence as one word) unless it is a plain' +
      ' Latin/Greek/Cyrillic/Hangul word, and NFC-normalises and lower-cases every distinct word for distinct/top-N.' +
      ' The word totals differ for the same reason: wc counts emoji and punctuation-only tokens as words and CJK runs as one.',
  )
}

// ---------------------------------------------------------------------------------------------
// 2. End-to-end local executions, 3. cost
// ---------------------------------------------------------------------------------------------

/** States entered on the happy path: Choice takes its first branch, Parallel adds its branches. */
const happyPathTransitions = (definition: {
  StartAt: string
  States: Record<string, Record<string, unknown>>
}): number => {
  let count = 0
  let name: string | undefined = definition.StartAt
  while (name) {
    const state: Record<string, unknown> = definition.States[name]!
    count++
    if (state.Type === 'Parallel')
      for (const branch of state.Branches as (typeof definition)[]) count += happyPathTransitions(branch)
    name =
      state.Type === 'Choice'
        ? ((state.Choices as { Next: string }[])[0]!.Next as string)
        : (state.Next as string | undefined)
  }
  return count
}

const executions = async () => {
  const cloud = await startLocalCloud({ ports: 'auto', fresh: true, services: ['workflows'], offline: false })
  const host = await startStepFunctionsHost({
    model: localModel(cloud),
    serviceDir,
    region: cloud.region,
    env: cloud.functionEnv,
  })
  const { s3 } = localClients(cloud)
  try {
    const byType = (suffix: string) => host.machines.find((machine) => machine.name.endsWith(suffix))!
    const text = byType('-text')
    const photoMachine = byType('-photo')
    const uploads = localModel(cloud).functions.get('ProcessPhotoLambdaFunction')!.environment.UPLOADS_BUCKET!
    const image = await photo(1280, 960, 'jpeg')
    const sample = 'The quick brown fox, 안녕하세요 세계! café naïve 👍🏽 jumps over the lazy dog.\n'.repeat(
      30,
    )
    const time = async (machine: TemplateStateMachine, input: () => Promise<Record<string, unknown>>) => {
      const durations: number[] = []
      for (let run = 0; run < 21; run++) {
        const jobId = randomUUID()
        const body = { jobId, owner: 'bench', ...(await input()) }
        const started = process.hrtime.bigint()
        const execution = await host.startExecution({
          stateMachineArn: machine.arn,
          name: jobId,
          input: JSON.stringify(body),
        }).done
        if (execution.status !== 'SUCCEEDED')
          throw new Error(`${machine.name}: ${execution.error} ${execution.cause}`)
        // Handlers are imported when the host starts; the first run still warms clients and JIT: reported apart.
        durations.push(Number(process.hrtime.bigint() - started) / 1e6)
      }
      return { cold: durations[0]!, warm: durations.slice(1) }
    }
    const textTimes = await time(text, async () => ({ source: { kind: 'inline', text: sample } }))
    const photoTimes = await time(photoMachine, async () => {
      const key = `photos/bench-${randomUUID()}.jpg`
      await s3.send(new PutObjectCommand({ Bucket: uploads, Key: key, Body: image }))
      return { source: { bucket: uploads, key } }
    })

    console.log(
      '\n## End-to-end local executions (aws-local-stepfunctions, real handlers, DynamoDB Local + s3rver)\n',
    )
    console.log('| machine | type | input | first run | median of 20 | p90 | min |')
    console.log('| --- | --- | --- | ---: | ---: | ---: | ---: |')
    const row = (machine: TemplateStateMachine, input: string, t: { cold: number; warm: number[] }) =>
      console.log(
        `| ${machine.name} | ${machine.type} | ${input} | ${t.cold.toFixed(0)} ms | ${median(t.warm).toFixed(0)} ms | ${percentile(t.warm, 0.9).toFixed(0)} ms | ${Math.min(...t.warm).toFixed(0)} ms |`,
      )
    row(text, `${(Buffer.byteLength(sample) / 1024).toFixed(1)} KiB inline text`, textTimes)
    row(photoMachine, '1280×960 JPEG', photoTimes)

    // Prices: us-east-1, AWS Step Functions pricing page (2026); free tiers ignored.
    const STANDARD_PER_TRANSITION = 0.000025
    const EXPRESS_PER_REQUEST = 0.000001
    const EXPRESS_PER_GB_SECOND = 0.00001667
    const EXPRESS_MEMORY_GB = 64 / 1024
    // Local runs skip the Lambda service hop; in AWS each task adds an invoke (~25 ms warm).
    const INVOKE_OVERHEAD_MS = 25
    const tasksOnPath = (machine: TemplateStateMachine) => Object.keys(machine.tasks).length - 1 // minus RecordFailure
    console.log(
      '\n## Step Functions cost per 1,000 executions (happy path; Lambda, S3, DynamoDB and logs not included)\n',
    )
    console.log(
      '| machine | chosen type | state transitions | est. AWS duration | Standard $/1k | Express $/1k |',
    )
    console.log('| --- | --- | ---: | ---: | ---: | ---: |')
    for (const [machine, times] of [
      [text, textTimes],
      [photoMachine, photoTimes],
    ] as const) {
      const transitions = happyPathTransitions(machine.definition as never)
      const seconds = (median(times.warm) + tasksOnPath(machine) * INVOKE_OVERHEAD_MS) / 1000
      const standard = 1000 * transitions * STANDARD_PER_TRANSITION
      // Express bills duration in 100 ms increments and memory in 64 MB blocks.
      const billedSeconds = Math.ceil(seconds * 10) / 10
      const express = 1000 * (EXPRESS_PER_REQUEST + EXPRESS_MEMORY_GB * billedSeconds * EXPRESS_PER_GB_SECOND)
      const mark = (type: string, value: number) =>
        `${machine.type === type ? '**' : ''}$${value.toFixed(4)}${machine.type === type ? '**' : ''}`
      console.log(
        `| ${machine.name} | ${machine.type} | ${transitions} | ${(seconds * 1000).toFixed(0)} ms | ${mark('STANDARD', standard)} | ${mark('EXPRESS', express)} |`,
      )
    }
    console.log(
      '\nAssumptions: us-east-1 list prices — Standard $0.025 per 1,000 state transitions; Express $1.00 per million' +
        ' requests + $0.00001667 per GB-second, billed per 100 ms in 64 MB memory blocks (one block assumed: payloads' +
        ` are ≤ 256 KiB). AWS duration = local median + ${INVOKE_OVERHEAD_MS} ms per Lambda task for the service hop.` +
        ' Retries add a transition (Standard) or duration (Express) each. Free tiers (4,000 Standard transitions/month) ignored.',
    )
  } finally {
    s3.destroy()
    await host.stop()
    await cloud.stop()
  }
}

try {
  await wordCounting()
  await executions()
} finally {
  rmSync(work, { recursive: true, force: true })
}
