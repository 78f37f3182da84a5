/**
 * `pnpm bench realtime`: how long a user's second device takes to learn of a change, by push and by
 * polling, for the same events, side by side. Each event is a real PATCH of one todo through
 * todo-api (serverless-offline, a real cognito-local token); the push path is the whole chain (todos
 * table stream in DynamoDB Local -> local event source mapping -> onTodoChange -> @connections ->
 * a `ws` client), the polling path is a client doing what it did before push: GET /todos/{id} every
 * POLL_INTERVAL_MS until it sees the new version. Both clocks start when the PATCH is sent.
 * BENCH_EVENTS (default 200), POLL_INTERVAL_MS (default 1000: a typical app's interval).
 */
import { randomUUID } from 'node:crypto'

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT'
const { startLocalCloud } = await import('@app/local-cloud/cloud')
const { signUpAndSignIn } = await import('@app/local-cloud/testing')
const { default: WebSocket } = await import('ws')

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200)
const POLL_INTERVAL_MS = Number(process.env.POLL_INTERVAL_MS ?? 1000)
const WARMUP = 5

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted.at(-1) ?? Number.NaN }
}
const ms = (value: number) => `${value.toFixed(0)} ms`.padStart(9)
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds))

const started = Date.now()
const cloud = await startLocalCloud({ ports: 'auto', fresh: true, services: ['realtime'] })
console.log(`local cloud ready in ${((Date.now() - started) / 1000).toFixed(1)} s`)
try {
  const user = await signUpAndSignIn(cloud, 'bench')
  const api = String(cloud.endpoints.todoApi)
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${api}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${user.accessToken}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    })

  // One run (of six) saw the first upgrade refused with 500 (the authorizer's first, cold
  // invocation failing in serverless-offline): a bounded retry, reported, so the figures still come.
  const open = async (attempt = 1): Promise<InstanceType<typeof WebSocket>> => {
    const candidate = new WebSocket(`${String(cloud.endpoints.realtime)}?token=${user.accessToken}`)
    try {
      await new Promise((resolve, reject) => candidate.once('open', resolve).once('error', reject))
      return candidate
    } catch (error) {
      if (attempt >= 3) throw error
      console.log(`connect attempt ${attempt} failed (${(error as Error).message}); retrying`)
      await sleep(1000)
      return open(attempt + 1)
    }
  }
  const socket = await open()
  const arrivals = new Map<number, number>()
  const waiting = new Map<number, () => void>()
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; todo?: { version: number } }
    if (message.type !== 'todo.changed' || !message.todo) return
    arrivals.set(message.todo.version, performance.now())
    waiting.get(message.todo.version)?.()
  })
  const pushed = (version: number) =>
    new Promise<number>((resolve) => {
      const seen = arrivals.get(version)
      if (seen !== undefined) return resolve(seen)
      waiting.set(version, () => resolve(arrivals.get(version)!))
    })

  const created = await call('/todos', {
    method: 'POST',
    headers: { 'idempotency-key': randomUUID() },
    body: JSON.stringify({ title: 'bench' }),
  })
  const todo = (await created.json()) as { id: string; version: number }
  let etag = String(created.headers.get('etag'))
  await pushed(1)

  /** The polling device: GET every POLL_INTERVAL_MS (its phase random, as devices' are) until `version`. */
  let pollRequests = 0
  const polled = async (version: number): Promise<number> => {
    await sleep(Math.random() * POLL_INTERVAL_MS)
    for (;;) {
      pollRequests += 1
      const answer = (await (await call(`/todos/${todo.id}`)).json()) as { version: number }
      if (answer.version >= version) return performance.now()
      await sleep(POLL_INTERVAL_MS)
    }
  }

  const push: number[] = []
  const poll: number[] = []
  let version = todo.version
  for (let i = 0; i < WARMUP + EVENTS; i++) {
    version += 1
    const target = version
    const sent = performance.now()
    const write = call(`/todos/${todo.id}`, {
      method: 'PATCH',
      headers: { 'if-match': etag },
      body: JSON.stringify({ title: `bench ${i}` }),
    })
    const [pushAt, pollAt, answer] = await Promise.all([pushed(target), polled(target), write])
    if (answer.status !== 200) throw new Error(`PATCH answered ${answer.status}: ${await answer.text()}`)
    etag = String(answer.headers.get('etag'))
    if (i < WARMUP) continue
    push.push(pushAt - sent)
    poll.push(pollAt - sent)
  }
  socket.close()

  const a = stats(push)
  const b = stats(poll)
  console.log(`\n${EVENTS} todo changes, second device, from the PATCH sent to the device knowing:`)
  console.log(`| path | p50 | p95 | max | requests per event |`)
  console.log(`| --- | ---: | ---: | ---: | ---: |`)
  console.log(`| push (stream -> WebSocket) | ${ms(a.p50)} | ${ms(a.p95)} | ${ms(a.max)} | 0 |`)
  console.log(
    `| poll every ${POLL_INTERVAL_MS} ms (GET /todos/{id}) | ${ms(b.p50)} | ${ms(b.p95)} | ${ms(b.max)} | ${(pollRequests / (WARMUP + EVENTS)).toFixed(2)} |`,
  )
  console.log(`| ratio push/poll | ${(a.p50 / b.p50).toFixed(2)} | ${(a.p95 / b.p95).toFixed(2)} | | |`)
} finally {
  await cloud.stop()
}
