/**
 * `pnpm bench blog-site`: the public post list, in-process against DynamoDB Local.
 * - latency of GET /api/posts through the whole HTTP stack (validation, cursor, ETag), next to a
 *   baseline of the bare DynamoDB Query it wraps, so the stack's own cost is visible;
 * - the share of answers a CDN may cache, judged by their headers alone (RFC 9111: a 2xx/304
 *   with `public` or `s-maxage`, no `private`/`no-store`, no `Set-Cookie`, no `Vary: *`).
 * The request mix is a reader's: mostly the first page, some older pages, a few conditional
 * revalidations and a few malformed queries.
 */
import type { EventInput } from '../src/testing/fakes'

// Before the handler modules load: Powertools reads its settings when its logger is created.
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'
process.env.POWERTOOLS_METRICS_DISABLED = 'true'
process.env.POWERTOOLS_METRICS_NAMESPACE = 'bench'
const { createCursorCodec } = await import('@app/runtime/http')
const { startLocalCloud } = await import('@app/local-cloud/cloud')
const { localClients } = await import('@app/local-cloud/clients')
const { dynamoPostsRepository } = await import('../src/adapters/dynamodb')
const { listPostsRoute } = await import('../src/functions/listPosts/route')
const { aPost, call, viaCdn } = await import('../src/testing/fakes')
const { logger } = await import('@app/runtime/observability')
logger.setLogLevel('SILENT')

const POSTS = 200
const WARMUP = 100
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000)

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b)
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), p99: percentile(sorted, 99), mean }
}
const ms = (value: number) => `${value.toFixed(2)} ms`

/** May a shared cache store this answer, by its headers alone? */
export const cdnCacheable = (status: number, headers: Record<string, string>): boolean => {
  if (!(status >= 200 && status < 300) && status !== 304) return false
  const directives = (headers['cache-control'] ?? '').toLowerCase()
  if (/\b(no-store|private)\b/.test(directives) || headers['set-cookie'] || headers.vary?.trim() === '*')
    return false
  return /\bpublic\b/.test(directives) || /\bs-maxage=\d+/.test(directives)
}

const cloud = await startLocalCloud({ ports: 'auto', fresh: true, services: ['blog-site'], offline: false })
try {
  const { db } = localClients(cloud)
  const table = cloud.outputs['blog-site']?.PostsTableName
  if (!table) throw new Error('no PostsTableName output')
  const posts = dynamoPostsRepository(db, table)
  for (let i = 0; i < POSTS; i++)
    await posts.create(
      aPost({
        slug: `bench-post-${i}`,
        title: `Benchmark post ${i}`,
        body: 'Lorem ipsum dolor sit amet. '.repeat(200),
        publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
      }),
    )
  const handler = listPostsRoute({
    ...viaCdn,
    posts,
    cursors: createCursorCodec('bench-cursor-secret-0123456789abcdef'),
  })

  const first = await call(handler, { query: { limit: '10' } })
  const cursors: string[] = []
  let cursor = first.body.nextCursor as string | undefined
  while (cursor && cursors.length < 5) {
    cursors.push(cursor)
    cursor = (await call(handler, { query: { limit: '10', cursor } })).body.nextCursor
  }
  const etag = first.headers.etag ?? ''

  /** Deterministic mix: 75% first page, 15% older pages, 7% revalidations, 3% malformed. */
  const requestFor = (i: number): { kind: string; input: EventInput } => {
    const slot = i % 100
    if (slot < 75) return { kind: 'first page', input: { query: { limit: '10' } } }
    if (slot < 90)
      return { kind: 'older page', input: { query: { limit: '10', cursor: cursors[i % cursors.length]! } } }
    if (slot < 97)
      return {
        kind: 'revalidation (304)',
        input: { query: { limit: '10' }, headers: { 'If-None-Match': etag } },
      }
    return { kind: 'malformed query', input: { query: { limit: 'many' } } }
  }

  for (let i = 0; i < WARMUP; i++) await call(handler, requestFor(i).input)
  for (let i = 0; i < WARMUP; i++) await posts.listNewestFirst(10)

  const samples: number[] = []
  const byKind = new Map<string, { count: number; cacheable: number }>()
  let cacheable = 0
  const started = performance.now()
  for (let i = 0; i < REQUESTS; i++) {
    const { kind, input } = requestFor(i)
    const t0 = performance.now()
    const answer = await call(handler, input)
    samples.push(performance.now() - t0)
    const ok = cdnCacheable(answer.status, answer.headers)
    if (ok) cacheable++
    const entry = byKind.get(kind) ?? { count: 0, cacheable: 0 }
    entry.count++
    if (ok) entry.cacheable++
    byKind.set(kind, entry)
  }
  const elapsed = performance.now() - started

  const baseline: number[] = []
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now()
    await posts.listNewestFirst(10)
    baseline.push(performance.now() - t0)
  }

  const api = summary(samples)
  const raw = summary(baseline)
  console.log(
    `GET /api/posts (limit 10, ${POSTS} posts), ${REQUESTS} sequential requests in-process, DynamoDB Local`,
  )
  console.table({
    'GET /api/posts (HTTP stack)': {
      p50: ms(api.p50),
      p90: ms(api.p90),
      p99: ms(api.p99),
      mean: ms(api.mean),
    },
    'baseline: bare Query': { p50: ms(raw.p50), p90: ms(raw.p90), p99: ms(raw.p99), mean: ms(raw.mean) },
  })
  console.log(`throughput: ${((REQUESTS / elapsed) * 1000).toFixed(0)} req/s (one caller)`)
  console.log(
    `CDN-cacheable answers: ${((cacheable / REQUESTS) * 100).toFixed(1)}% (${cacheable}/${REQUESTS})`,
  )
  console.table(
    Object.fromEntries(
      [...byKind].map(([kind, entry]) => [
        kind,
        { requests: entry.count, cacheable: `${((entry.cacheable / entry.count) * 100).toFixed(0)}%` },
      ]),
    ),
  )
} finally {
  await cloud.stop()
}
