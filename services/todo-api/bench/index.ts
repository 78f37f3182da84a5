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
 * 4. Sustained load in-process: BENCH_LOAD_CONCURRENCY (8) requests in flight against the bundled
 *    listTodos and getTodo handlers and their hand-written minimal twins, each run bounded by
 *    BENCH_LOAD_REQUESTS (4000) and BENCH_LOAD_SECONDS (20): req/s, p50/p99, errors (any non-2xx or
 *    throw counts; the bench fails on one), and the cost per million requests those durations bill
 *    (arm64, memory as deployed), with and without the DAX cluster's fixed cost.
 * 5. Sustained load over HTTP: autocannon (BENCH_LOAD_CONCURRENCY connections, the same request and
 *    time bounds) against GET /todos and GET /todos/{id} through the local API Gateway and
 *    serverless-offline (a real Cognito token, the TOKEN authorizer, the bundled handlers, IAM
 *    enforced), side by side with the minimal twins behind a bare node:http server: the floor any
 *    HTTP path to the same Query/GetItem has on this machine. Errors (non-2xx, timeouts, socket
 *    errors) fail the bench.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { deflateRawSync } from 'node:zlib'
import { createTodo } from '@app/domain/todos'
import { startLocalCloud } from '@app/local-cloud/cloud'
import { signUpAndSignIn } from '@app/local-cloud/testing'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import autocannon from 'autocannon'
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
const minimalGet = join(outDir, 'minimal-get.mjs')
await build(buildOptions(join(import.meta.dirname, 'minimal-get.ts'), minimalGet))

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
// With serverless-offline: section 5 goes through the local API Gateway; 3 and 4 call the bundles in-process.
const cloud = await startLocalCloud({ ports: 'auto', services: ['todo-api'], offline: true, fresh: true })
try {
  Object.assign(process.env, env, cloud.functionEnv)
  // A real pool user: section 5 sends its access token through the API's TOKEN authorizer.
  const user = await signUpAndSignIn(cloud, 'bench')
  const sub = user.sub
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

  // ---- 4. sustained load, in-process ---------------------------------------------------------------
  const loadConcurrency = Number(process.env.BENCH_LOAD_CONCURRENCY ?? 8)
  const loadRequests = Number(process.env.BENCH_LOAD_REQUESTS ?? 4000)
  const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 20)
  const [someTodo] = (await repository.list(sub, { limit: 1 })).items
  const getOurs = ((await import(pathToFileURL(bundles.getTodo!).href)) as { handler: Handler }).handler
  const getMinimal = ((await import(pathToFileURL(minimalGet).href)) as { handler: Handler }).handler
  const getEvent = restEvent({
    method: 'GET',
    path: `/todos/${someTodo!.id}`,
    sub,
    pathParameters: { id: someTodo!.id },
  })
  /** `loadConcurrency` loops sharing one budget of requests and one deadline; every failure is kept. */
  const load = async (handler: Handler, request: unknown) => {
    const durations: number[] = []
    const errors: string[] = []
    const deadline = performance.now() + loadSeconds * 1000
    let issued = 0
    const started = performance.now()
    const loop = async () => {
      while (issued < loadRequests && performance.now() < deadline) {
        issued++
        const t = performance.now()
        try {
          const response = await handler(request, context)
          if (response.statusCode >= 300) errors.push(`status ${response.statusCode}`)
        } catch (error) {
          errors.push(String(error))
        }
        durations.push(performance.now() - t)
      }
    }
    await Promise.all(Array.from({ length: loadConcurrency }, loop))
    return { durations, errors, seconds: (performance.now() - started) / 1000 }
  }
  // Lambda arm64 list prices, us-east-1 (docs/deploy.md "Costs"): $0.20 per million requests and
  // $0.0000133334 per GB-second, billed per started millisecond, at the deployed 1024 MB.
  const memoryGb = Number(yml.custom.shape.provider.memorySize) / 1024
  const lambdaPerMillion = (durations: number[]) =>
    0.2 +
    (durations.reduce((sum, d) => sum + Math.ceil(d), 0) / durations.length / 1000) *
      memoryGb *
      0.0000133334 *
      1e6
  // Per request: list = one eventually consistent Query of 21 items of ~250 B (~5 KB: 2 x 4 KB at
  // half a unit each = 1 read unit), get = one strongly consistent GetItem under 4 KB (1 read unit);
  // $0.125 per million read units (on-demand).
  const readUnits = { list: 1, get: 1 }
  // DAX: $109.50/month fixed for prod's cluster and endpoint (README), spread over a month's requests;
  // a cache hit costs no read unit. Assumed: 10M reads a month, 80% hits, Lambda durations as measured
  // (DAX hit latency is not measurable here: no local DAX).
  const monthlyReads = 10_000_000
  const hitRate = 0.8
  const rows: Record<string, Record<string, string>> = {}
  const failures: string[] = []
  for (const [route, pair, request] of [
    ['GET /todos', { ours, minimal }, event],
    ['GET /todos/{id}', { ours: getOurs, minimal: getMinimal }, getEvent],
  ] as const) {
    for (const [who, handler] of Object.entries(pair)) {
      await load(handler, request) // warm-up pass, same bounds, not reported
      const run = await load(handler, request)
      failures.push(...run.errors.map((error) => `${route} ${who}: ${error}`))
      const units = route === 'GET /todos' ? readUnits.list : readUnits.get
      const lambda = lambdaPerMillion(run.durations)
      rows[`${route} ${who}`] = {
        requests: String(run.durations.length),
        'req/s': (run.durations.length / run.seconds).toFixed(0),
        'p50 ms': percentile(run.durations, 50).toFixed(2),
        'p99 ms': percentile(run.durations, 99).toFixed(2),
        errors: String(run.errors.length),
        '$/M without DAX': (lambda + units * 0.125).toFixed(3),
        '$/M with DAX': (lambda + units * 0.125 * (1 - hitRate) + (109.5 / monthlyReads) * 1e6).toFixed(3),
      }
    }
  }
  console.log(
    `\nSustained load in-process against DynamoDB Local (${loadConcurrency} in flight, <= ${loadRequests} requests, <= ${loadSeconds} s per run; Lambda arm64 ${memoryGb * 1024} MB + DynamoDB reads; with DAX: $109.50/month over ${monthlyReads / 1e6}M reads, ${hitRate * 100}% hits)`,
  )
  console.table(rows)
  if (failures.length) throw new Error(`${failures.length} failed requests under load, first: ${failures[0]}`)

  // ---- 5. sustained load over HTTP -------------------------------------------------------------------
  // The floor: the minimal twins behind node:http, no gateway, no authorizer (the sub is fixed).
  const floor = createServer(async (request, response) => {
    const id = request.url?.match(/^\/todos\/([^/?]+)/)?.[1]
    const result = id
      ? await getMinimal(
          restEvent({ method: 'GET', path: `/todos/${id}`, sub, pathParameters: { id } }),
          context,
        )
      : await minimal(event, context)
    const { statusCode, body = '' } = result as { statusCode: number; body?: string }
    response.writeHead(statusCode, { 'content-type': 'application/json' }).end(body)
  })
  await new Promise<void>((resolve) => floor.listen(0, '127.0.0.1', resolve))
  const floorUrl = `http://127.0.0.1:${(floor.address() as AddressInfo).port}`
  const apiUrl = String(cloud.endpoints.todoApi)
  const overHttp = async (url: string, headers: Record<string, string>) => {
    const run = async () => {
      // Without a callback the instance is also the result's promise (the types give only the promise).
      const instance = autocannon({
        url,
        headers,
        connections: loadConcurrency,
        amount: loadRequests,
        timeout: 10,
      }) as unknown as autocannon.Instance & Promise<autocannon.Result>
      // With `amount` autocannon ignores `duration`: the timer bounds the run in time as well.
      const timer = setTimeout(() => instance.stop(), loadSeconds * 1000)
      try {
        return await instance
      } finally {
        clearTimeout(timer)
      }
    }
    await run() // warm-up pass, same bounds, not reported
    return run()
  }
  const httpRows: Record<string, Record<string, string>> = {}
  const httpFailures: string[] = []
  try {
    for (const [route, path] of [
      ['GET /todos', '/todos?limit=20'],
      ['GET /todos/{id}', `/todos/${someTodo!.id}`],
    ] as const) {
      for (const [who, base, headers] of [
        ['serverless-offline', apiUrl, { authorization: `Bearer ${user.accessToken}` }],
        ['minimal over node:http', floorUrl, {}],
      ] as const) {
        const result = await overHttp(`${base}${path}`, headers)
        const failed = result.non2xx + result.errors + result.timeouts
        if (failed)
          httpFailures.push(
            `${route} ${who}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
          )
        httpRows[`${route} ${who}`] = {
          requests: String(result.requests.total),
          // result.duration is whole seconds: the run's own start and finish are finer.
          'req/s': (result.requests.total / ((+result.finish - +result.start) / 1000)).toFixed(0),
          'p50 ms': result.latency.p50.toFixed(1),
          'p99 ms': result.latency.p99.toFixed(1),
          errors: String(failed),
        }
      }
    }
  } finally {
    floor.close()
  }
  console.log(
    `\nSustained load over HTTP, autocannon on loopback (${loadConcurrency} connections, <= ${loadRequests} requests, <= ${loadSeconds} s per run): local API Gateway + serverless-offline (authorizer, bundled handlers, IAM enforced) vs the minimal twins behind node:http`,
  )
  console.table(httpRows)
  if (httpFailures.length) throw new Error(`failed requests over HTTP: ${httpFailures.join('; ')}`)
} finally {
  await cloud.stop()
  rmSync(outDir, { recursive: true, force: true })
}
