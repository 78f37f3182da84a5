/**
 * `pnpm bench todo-api`: the figures of issue 2 §5 for the todo API, each side by side with a
 * baseline run in the same session (the machine is shared and noisy: compare rows, not runs).
 *
 * 1. Bundle size per function: esbuild with the options of serverless.yml `custom.esbuild` (minified
 *    bytes, and the deflated size a zip entry would have). Goal: API functions <= 150 KB minified.
 * 2. Cold init: a fresh Node process importing the bundled handler (module scope: config, clients),
 *    median of BENCH_COLD_RUNS (default 21), interleaved with a baseline bundle that only creates the
 *    same SDK clients. Goal: <= 1.2x the baseline.
 * 3. Warm GET /todos: p50/p99 of the bundled listTodos handler in-process against DynamoDB Local,
 *    interleaved with a hand-written minimal handler doing the same Query. Goal: <= 10% at p50.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { deflateRawSync } from 'node:zlib'
import { createTodo } from '@app/domain/todos'
import { startLocalCloud } from '@app/local-cloud/cloud'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { type BuildOptions, build } from 'esbuild'
import { parse } from 'yaml'
import { createDynamoDbTodoRepository } from '../src/adapters/dynamodb-todo-repository'
import { dynamoDbTable } from '../src/adapters/todo-tables'
import { ulidGenerator } from '../src/adapters/ulid-ids'
import { lambdaContext, restEvent } from '../src/testing/events'

const serviceDir = join(import.meta.dirname, '..')
// Inside the service, so the bundles resolve `@aws-sdk/*` from its node_modules as Lambda's runtime would.
const outDir = join(serviceDir, '.bench')
const coldRuns = Number(process.env.BENCH_COLD_RUNS ?? 21)
const warmRequests = Number(process.env.BENCH_WARM_REQUESTS ?? 2000)

const yml = parse(readFileSync(join(serviceDir, 'serverless.yml'), 'utf8'))
const functions = Object.keys(yml.functions) as string[]
// custom.esbuild is the shared block (packages/serverless-ops/service.cjs) with this service's custom.shape.esbuild.
const sharedBlocks = createRequire(import.meta.url)('../../../packages/serverless-ops/service.cjs')
const esbuildConfig = sharedBlocks.merge(sharedBlocks.ESBUILD, yml.custom.shape?.esbuild) as Record<
  string,
  unknown
>

/** The same options serverless-esbuild gets (its `exclude` becomes esbuild's `external`). */
const buildOptions = (entry: string, outfile: string): BuildOptions => ({
  entryPoints: [entry],
  outfile,
  bundle: true,
  minify: esbuildConfig.minify as boolean,
  sourcemap: false,
  target: esbuildConfig.target as string,
  platform: 'node',
  format: esbuildConfig.format as 'esm',
  external: esbuildConfig.exclude as string[],
  mainFields: esbuildConfig.mainFields as string[],
  banner: esbuildConfig.banner as Record<string, string>,
  logLevel: 'error',
})

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

rmSync(outDir, { recursive: true, force: true })
mkdirSync(outDir, { recursive: true })

// ---- 1. bundle sizes ------------------------------------------------------------------------------
const bundles: Record<string, string> = {}
const sizes: Record<string, { minified: number; zipped: number }> = {}
for (const name of functions) {
  const outfile = join(outDir, `${name}.mjs`)
  await build(buildOptions(join(serviceDir, 'src/functions', name, 'handler.ts'), outfile))
  bundles[name] = outfile
  const bytes = readFileSync(outfile)
  sizes[name] = { minified: bytes.byteLength, zipped: deflateRawSync(bytes, { level: 9 }).byteLength }
}
for (const kind of ['dynamodb', 's3', 'none']) {
  const outfile = join(outDir, `baseline-${kind}.mjs`)
  await build(buildOptions(join(import.meta.dirname, `baseline-${kind}.ts`), outfile))
  bundles[`baseline-${kind}`] = outfile
}
const minimalList = join(outDir, 'minimal-list.mjs')
await build(buildOptions(join(import.meta.dirname, 'minimal-list.ts'), minimalList))

// ---- 2. cold init -----------------------------------------------------------------------------------
const env = {
  ...process.env,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TODOS_TABLE: 'todo-api-local-todos',
  IDEMPOTENCY_TABLE: 'todo-api-local-idempotency',
  FILES_BUCKET: 'bench-files',
  CURSOR_SECRET: 'bench-cursor-signing-key-0123456789-0123456789',
  MAX_UPLOAD_BYTES: '10485760',
  COGNITO_ISSUER: 'http://127.0.0.1:9/local_pool',
  COGNITO_CLIENT_IDS: 'client',
  POWERTOOLS_SERVICE_NAME: 'todo-api',
  POWERTOOLS_METRICS_NAMESPACE: 'bench',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
}
const baselineOf = (name: string) =>
  name === 'authorizer' || name === 'openapi'
    ? 'none'
    : name.endsWith('Files') || name.endsWith('FileLink')
      ? 's3'
      : 'dynamodb'

/**
 * What a fresh Node process spends importing `file` (module scope: config, clients), measured inside
 * it after Node's own start: wall time, and CPU time (user+system), which the other jobs on this
 * shared machine disturb far less than wall time.
 */
const coldInit = (file: string) => {
  const script = `const c=process.cpuUsage(),t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});const u=process.cpuUsage(c);process.stdout.write(JSON.stringify([performance.now()-t,(u.user+u.system)/1000]))`
  const [wall, cpu] = JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env,
      cwd: serviceDir,
    }).toString(),
  ) as [number, number]
  return { wall, cpu }
}

type Init = { wall: number; cpu: number }
const summary = (runs: Init[]): Init => ({
  wall: median(runs.map((run) => run.wall)),
  cpu: median(runs.map((run) => run.cpu)),
})
const cold: Record<string, { ours: Init; baseline: Init }> = {}
for (const name of functions) {
  const baseline = baselineOf(name)
  const ours: Init[] = []
  const base: Init[] = []
  coldInit(bundles[name]!) // warms the OS file cache for both
  coldInit(bundles[`baseline-${baseline}`]!)
  for (let run = 0; run < coldRuns; run++) {
    ours.push(coldInit(bundles[name]!))
    base.push(coldInit(bundles[`baseline-${baseline}`]!))
  }
  cold[name] = { ours: summary(ours), baseline: summary(base) }
}

console.log(
  `\nBundle size and cold init per function (esbuild as in serverless.yml; cold = median of ${coldRuns})`,
)
console.table(
  Object.fromEntries(
    functions.map((name) => {
      const { ours, baseline } = cold[name]!
      return [
        name,
        {
          minified: kb(sizes[name]!.minified),
          zipped: kb(sizes[name]!.zipped),
          '<= 150 KB': sizes[name]!.minified <= 150 * 1024 ? 'yes' : 'NO',
          'init cpu ms (vs baseline)': `${ours.cpu.toFixed(0)} vs ${baseline.cpu.toFixed(0)} (${baselineOf(name)})`,
          'cpu ratio': `${(ours.cpu / baseline.cpu).toFixed(2)}x`,
          'init wall ms': `${ours.wall.toFixed(0)} vs ${baseline.wall.toFixed(0)}`,
          'wall ratio': `${(ours.wall / baseline.wall).toFixed(2)}x`,
          '<= 1.2x (cpu)': ours.cpu <= 1.2 * baseline.cpu ? 'yes' : 'NO',
        },
      ]
    }),
  ),
)

// ---- 3. warm list route against DynamoDB Local ---------------------------------------------------------
const cloud = await startLocalCloud({ ports: 'auto', services: ['todo-api'], offline: false, fresh: true })
try {
  Object.assign(process.env, env, cloud.functionEnv)
  const sub = 'bench-user'
  const db = createDocumentClient(
    {
      AWS_REGION: cloud.region,
      AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.dynamodb,
      AWS_MAX_ATTEMPTS: 3,
    } as never,
    new DynamoDBClient({
      region: cloud.region,
      endpoint: cloud.endpoints.dynamodb,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    }),
  )
  const repository = createDynamoDbTodoRepository({ direct: dynamoDbTable(db) }, 'todo-api-local-todos')
  const ids = ulidGenerator()
  for (let index = 0; index < 50; index++)
    await repository.create(
      sub,
      createTodo({ title: `bench todo ${index}`, notes: 'x'.repeat(100) }, ids.next(), new Date()),
    )

  type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number }>
  const ours = ((await import(pathToFileURL(bundles.listTodos!).href)) as { handler: Handler }).handler
  const minimal = ((await import(pathToFileURL(minimalList).href)) as { handler: Handler }).handler
  const event = restEvent({ method: 'GET', path: '/todos', sub, query: { limit: '20' } })
  const context = lambdaContext('listTodos')
  const time = async (handler: Handler) => {
    const started = performance.now()
    const response = await handler(event, context)
    const elapsed = performance.now() - started
    if (response.statusCode !== 200) throw new Error(`bench request failed: ${response.statusCode}`)
    return elapsed
  }
  // Our handler writes one EMF line per request to stdout, as in Lambda (where stdout is a pipe to
  // the log agent). Here the lines would bury the table, so they are dropped after being produced:
  // serialising them is still measured, the terminal's rendering speed is not.
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    typeof chunk === 'string' && chunk.startsWith('{"_aws"')
      ? true
      : write(chunk, ...rest)) as typeof process.stdout.write
  for (let i = 0; i < 200; i++) {
    await time(ours)
    await time(minimal)
  }
  const samples = { ours: [] as number[], minimal: [] as number[] }
  for (let i = 0; i < warmRequests; i++) {
    // Alternate which goes first so neither always gets the warmer cache.
    if (i % 2) {
      samples.ours.push(await time(ours))
      samples.minimal.push(await time(minimal))
    } else {
      samples.minimal.push(await time(minimal))
      samples.ours.push(await time(ours))
    }
  }
  const row = (values: number[]) => ({
    'p50 ms': percentile(values, 50).toFixed(2),
    'p99 ms': percentile(values, 99).toFixed(2),
  })
  console.log(
    `\nWarm GET /todos?limit=20 in-process against DynamoDB Local (${warmRequests} requests each, 50 todos)`,
  )
  console.table({
    'minimal handler (baseline)': row(samples.minimal),
    'listTodos (ours)': row(samples.ours),
    ratio: {
      'p50 ms': `${(percentile(samples.ours, 50) / percentile(samples.minimal, 50)).toFixed(2)}x`,
      'p99 ms': `${(percentile(samples.ours, 99) / percentile(samples.minimal, 99)).toFixed(2)}x`,
    },
  })
} finally {
  await cloud.stop()
  rmSync(outDir, { recursive: true, force: true })
}
