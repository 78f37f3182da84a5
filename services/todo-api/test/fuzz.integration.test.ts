/**
 * Property-based fuzzing of every route's input (fast-check): bad, odd and occasionally valid
 * requests, run through the real handlers in-process against DynamoDB Local and s3rver. Properties:
 * never a 5xx; every error is a problem document whose status matches; and nothing is stored by a
 * rejected request (the user's partition holds exactly what accepted requests created/changed).
 * FUZZ_RUNS overrides the number of requests per route (default 1,000, as the issue requires).
 */

import { randomUUID } from 'node:crypto'
import { localClients } from '@app/local-cloud/clients'
import { useFunctionEnv } from '@app/local-cloud/testing'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda'
import fc from 'fast-check'
import { monotonicFactory } from 'ulid'
import { describe, expect, it, vi } from 'vitest'
import { lambdaContext, restEvent } from '../src/testing/events'

const runs = Number(process.env.FUZZ_RUNS ?? 1000)

const cloud = useFunctionEnv({
  TODOS_TABLE: `todo-api-local-todos`,
  IDEMPOTENCY_TABLE: `todo-api-local-idempotency`,
  CURSOR_SECRET: 'fuzz-cursor-signing-key-0123456789-0123456789',
  MAX_UPLOAD_BYTES: '1048576',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_METRICS_NAMESPACE: 'fuzz',
  POWERTOOLS_SERVICE_NAME: 'todo-api',
  // Powertools writes through the global console in dev mode, so the filter below can see it.
  POWERTOOLS_DEV: 'true',
})
process.env.FILES_BUCKET = cloud.outputs['todo-api']?.FilesBucketName ?? ''

// Powertools Metrics warns on every invocation that emitted no business metric; thousands of those
// would bury real output. Only that exact warning is silenced.
const warn = console.warn.bind(console)
vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('No application metrics to publish')) return
  warn(...args)
})

type Handler = (
  event: APIGatewayProxyEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyResult>
const load = async (name: string): Promise<Handler> =>
  ((await import(`../src/functions/${name}/handler.ts`)) as { handler: Handler }).handler

const { db } = localClients(cloud)
const partition = async (sub: string) =>
  (
    await db.send(
      new QueryCommand({
        TableName: 'todo-api-local-todos',
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': `USER#${sub}` },
        ConsistentRead: true,
      }),
    )
  ).Items ?? []

// ---- arbitraries: the shapes clients (and attackers) actually send --------------------------------
const ulid = monotonicFactory()
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\t\n',
    '../../etc/passwd',
    '<script>',
    '%00',
    '\uD800',
    'null',
    '{}',
    '[]',
    '0',
  ),
  fc.string({ minLength: 200, maxLength: 3000 }),
)
const jsonValue = fc.oneof(
  fc.jsonValue(),
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
)
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined })

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  '',
  'json',
)
const headers = fc
  .record(
    {
      contentType,
      contentTypeName: fc.constantFrom('content-type', 'Content-Type', 'CONTENT-TYPE'),
      ifMatch: maybe(fc.oneof(nastyString, fc.constantFrom('*', '"x"', 'W/"x"', '""'))),
      ifNoneMatch: maybe(nastyString),
      idempotencyKey: maybe(fc.oneof(nastyString, fc.uuid())),
    },
    { requiredKeys: ['contentType', 'contentTypeName'] },
  )
  .map((h) => {
    const out: Record<string, string> = { [h.contentTypeName]: h.contentType }
    if (h.ifMatch !== undefined) out['If-Match'] = h.ifMatch
    if (h.ifNoneMatch !== undefined) out['if-none-match'] = h.ifNoneMatch
    if (h.idempotencyKey !== undefined) out['Idempotency-Key'] = h.idempotencyKey
    return out
  })

const dateLike = fc.oneof(
  fc.constantFrom('2026-12-24', '2026-02-30', '2026-13-01', '24/12/2026', '2026-12-24T00:00:00Z', ''),
  nastyString,
)
const todoFields = fc.record(
  {
    title: fc.oneof(
      fc.string({ maxLength: 250 }),
      jsonValue,
      fc.constantFrom('ok', '  ', 'a\u0007b', 'x'.repeat(201)),
    ),
    notes: fc.oneof(fc.string({ maxLength: 2100 }), jsonValue),
    dueDate: fc.oneof(dateLike, jsonValue),
    status: fc.oneof(fc.constantFrom('open', 'done', 'OPEN', 'deleted'), jsonValue),
    version: fc.integer(),
    id: fc.string(),
  },
  { requiredKeys: [] },
)
const bodyObject = fc.oneof(
  todoFields,
  fc
    .tuple(todoFields, fc.dictionary(fc.string({ maxLength: 10 }), jsonValue, { maxKeys: 3 }))
    .map(([a, b]) => ({ ...b, ...a })),
  fc.record(
    {
      operation: fc.oneof(fc.constantFrom('upload', 'download', 'delete', 'UPLOAD', 'list'), jsonValue),
      name: fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/), nastyString, jsonValue),
      contentType: fc.oneof(
        fc.constantFrom('image/png', 'text/plain', 'text/html', 'image/svg+xml'),
        jsonValue,
      ),
      size: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, 1, 1048576, 1048577, -1), jsonValue),
    },
    { requiredKeys: [] },
  ),
)
const body = fc.oneof(
  fc.constant(null),
  bodyObject.map((value) => JSON.stringify(value)),
  jsonValue.map((value) => JSON.stringify(value) ?? 'undefined'),
  nastyString,
  fc.constantFrom(
    '{',
    '{"title":',
    '[1,2',
    'undefined',
    '\uFEFF{"title":"bom"}',
    '{"title":"a","title":"b"}',
  ),
  fc.integer({ min: 16_000, max: 40_000 }).map((size) => JSON.stringify({ title: 'x'.repeat(size) })),
)
const query = fc.oneof(
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 10 }), nastyString, { maxKeys: 3 }),
  fc.record(
    {
      limit: fc.oneof(
        fc.constantFrom('1', '20', '100', '0', '101', '-1', '1e2', ' 5', '5 ', '0x10', '', '007'),
        nastyString,
      ),
      status: fc.oneof(fc.constantFrom('open', 'done', 'OPEN', ''), nastyString),
      cursor: fc.oneof(
        nastyString,
        fc.base64String(),
        fc.constantFrom('a.b', 'eyJQSyI6IlVTRVIjeCJ9.AAAA', '.'),
      ),
    },
    { requiredKeys: [] },
  ),
)
const todoId = (known: () => string[]) =>
  fc.oneof(
    fc.constant(null).map(() => ulid()),
    fc.constant(null).map(() => known()[0] ?? ulid()),
    nastyString,
    fc.constantFrom(
      '',
      '01ARZ3NDEKTSV4RRFFQ69G5FAV',
      '01arz3ndektsv4rrffq69g5fav',
      'ILOU0000000000000000000000',
    ),
  )
const request = (options: { id?: fc.Arbitrary<string> }) =>
  fc.record({
    // 9 in 10 authenticated, so most requests get past the 401 and into validation.
    authenticated: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
    headers,
    body,
    query,
    base64: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    id: options.id ?? fc.constant(''),
  })

type FuzzRequest = ReturnType<typeof request> extends fc.Arbitrary<infer T> ? T : never

// ---- the properties ---------------------------------------------------------------------------
const checkResponse = (response: APIGatewayProxyResult) => {
  expect(response.statusCode, response.body).toBeLessThan(500)
  expect(response.statusCode).toBeGreaterThanOrEqual(200)
  if (response.statusCode >= 400) {
    expect(response.headers?.['content-type']).toBe('application/problem+json')
    const problem = JSON.parse(response.body)
    expect(problem.status).toBe(response.statusCode)
    expect(typeof problem.type).toBe('string')
    expect(typeof problem.title).toBe('string')
  }
}

const fuzz = async (
  route: {
    name: string
    method: string
    resource: string
    path: (id: string) => string
    pathParams?: boolean
  },
  sub: string,
  arbitrary: fc.Arbitrary<FuzzRequest>,
  after?: (response: APIGatewayProxyResult, input: { id: string; headers: Record<string, string> }) => void,
) => {
  const handler = await load(route.name)
  const statuses = new Map<number, number>()
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const event = restEvent({
        method: route.method,
        path: route.path(input.id),
        resource: route.resource,
        sub: input.authenticated ? sub : undefined,
        headers: input.headers,
        query: input.query,
        pathParameters: route.pathParams ? { id: input.id } : null,
        body: input.base64 && input.body !== null ? Buffer.from(input.body).toString('base64') : input.body,
        isBase64Encoded: input.base64,
      })
      const response = await handler(event, lambdaContext(route.name))
      checkResponse(response)
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
      after?.(response, input)
    }),
    { numRuns: runs },
  )
  return statuses
}

describe(`fuzzing every route with ${runs} generated requests each`, () => {
  const seededIds: string[] = []

  it('POST /todos: never 5xx; stores exactly the todos of accepted requests', async () => {
    const sub = randomUUID()
    const created = new Set<string>()
    const statuses = await fuzz(
      { name: 'createTodo', method: 'POST', resource: '/todos', path: () => '/todos' },
      sub,
      request({}),
      (response) => {
        if (response.statusCode === 201) created.add(JSON.parse(response.body).id)
      },
    )
    expect((await partition(sub)).map((item) => item.id).sort()).toEqual([...created].sort())
    expect(statuses.get(400)).toBeGreaterThan(0)
  })

  it('GET /todos: never 5xx, reads only', async () => {
    const sub = randomUUID()
    const before = await partition(sub)
    await fuzz(
      { name: 'listTodos', method: 'GET', resource: '/todos', path: () => '/todos' },
      sub,
      request({}),
    )
    expect(await partition(sub)).toEqual(before)
  })

  it('GET /todos/{id}: never 5xx, reads only', async () => {
    const sub = randomUUID()
    await fuzz(
      {
        name: 'getTodo',
        method: 'GET',
        resource: '/todos/{id}',
        path: (id) => `/todos/${id}`,
        pathParams: true,
      },
      sub,
      request({ id: todoId(() => seededIds) }),
    )
    expect(await partition(sub)).toEqual([])
  })

  it('PATCH /todos/{id}: never 5xx; the version moves once per accepted change only', async () => {
    const sub = randomUUID()
    const createTodo = await load('createTodo')
    const created = await createTodo(
      restEvent({
        method: 'POST',
        path: '/todos',
        sub,
        headers: { 'content-type': 'application/json' },
        body: '{"title":"fuzz me"}',
      }),
      lambdaContext(),
    )
    const todo = JSON.parse(created.body)
    let etag = created.headers?.etag as string
    let accepted = 0
    // Half the requests carry the current ETag, so the accepted path is fuzzed too.
    const withEtag = request({
      id: fc.oneof(
        fc.constant(todo.id as string),
        todoId(() => [todo.id]),
      ),
    }).chain((input) =>
      fc
        .boolean()
        .map((useEtag) => (useEtag ? { ...input, headers: { ...input.headers, 'If-Match': etag } } : input)),
    )
    await fuzz(
      {
        name: 'updateTodo',
        method: 'PATCH',
        resource: '/todos/{id}',
        path: (id) => `/todos/${id}`,
        pathParams: true,
      },
      sub,
      withEtag,
      (response) => {
        if (response.statusCode === 200) {
          accepted++
          etag = response.headers?.etag as string
        }
      },
    )
    const [stored] = await partition(sub)
    expect(stored?.version).toBe(1 + accepted)
  })

  it('DELETE /todos/{id}: never 5xx; deletes only what accepted requests deleted', async () => {
    const sub = randomUUID()
    const createTodo = await load('createTodo')
    const ids: string[] = []
    for (let index = 0; index < 20; index++) {
      const response = await createTodo(
        restEvent({
          method: 'POST',
          path: '/todos',
          sub,
          headers: { 'content-type': 'application/json' },
          body: `{"title":"t${index}"}`,
        }),
        lambdaContext(),
      )
      ids.push(JSON.parse(response.body).id)
    }
    const deleted = new Set<string>()
    await fuzz(
      {
        name: 'deleteTodo',
        method: 'DELETE',
        resource: '/todos/{id}',
        path: (id) => `/todos/${id}`,
        pathParams: true,
      },
      sub,
      request({
        id: fc.oneof(
          fc.constantFrom(...ids),
          todoId(() => ids),
        ),
      }),
      (response, input) => {
        if (response.statusCode === 204) deleted.add(input.id)
      },
    )
    expect((await partition(sub)).map((item) => item.id).sort()).toEqual(
      ids.filter((id) => !deleted.has(id)).sort(),
    )
  })

  it('GET /files and POST /files/links: never 5xx', async () => {
    const sub = randomUUID()
    await fuzz(
      { name: 'listFiles', method: 'GET', resource: '/files', path: () => '/files' },
      sub,
      request({}),
    )
    const statuses = await fuzz(
      { name: 'createFileLink', method: 'POST', resource: '/files/links', path: () => '/files/links' },
      sub,
      request({}),
    )
    expect(statuses.get(400)).toBeGreaterThan(0)
  })

  it('GET /openapi.json: never 5xx whatever is sent', async () => {
    await fuzz(
      { name: 'openapi', method: 'GET', resource: '/openapi.json', path: () => '/openapi.json' },
      'anyone',
      request({}),
    )
  })
})
