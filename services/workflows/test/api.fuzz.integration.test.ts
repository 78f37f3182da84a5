/**
 * Fuzzes the three HTTP handlers in-process against the run's local cloud (DynamoDB Local, s3rver,
 * the local Step Functions host). Most bodies are valid (from the handlers' own zod schemas), the
 * rest one mutation away or odd; every answer is exactly the contract's (202/200 or the HTTP
 * stack's 4xx problem, never a 5xx). A 202 started exactly one execution, named by the id it
 * answered, and a refused request started none: both checked with ListExecutions on the local
 * Step Functions host. One line per route reports the shares.
 */
import { randomUUID } from 'node:crypto'
import {
  fuzzStatuses,
  type HttpRouteContract,
  httpVerdict,
  jsonBodies,
  validInput,
} from '@app/domain/testing'
import { localCloud, useFunctionEnv } from '@app/local-cloud/testing'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { printedModel, stepFunctions } from './support'

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>
let handlers: { startText: Handler; startPhoto: Handler; getExecution: Handler }
let schemas: { text: z.ZodType; photo: z.ZodType; executionPath: z.ZodType }
let machines: { text: string; photo: string }

beforeAll(async () => {
  const cloud = useFunctionEnv()
  const model = await printedModel(cloud)
  // Each function's own environment from serverless.yml (table, buckets, machine ARNs).
  for (const id of [
    'StartTextJobLambdaFunction',
    'StartPhotoJobLambdaFunction',
    'GetExecutionLambdaFunction',
  ])
    Object.assign(process.env, model.functions.get(id)!.environment)
  // Hundreds of in-process requests: keep the handlers' logs and EMF lines out of the report.
  Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' })
  // One owner sends every request, hundreds of them accepted: past the local stage's daily quota,
  // whose 429 is job-quota.integration.test.ts's subject, not this contract's.
  process.env.JOBS_PER_USER_PER_DAY = '100000'
  const text = await import('../src/functions/startTextJob/handler')
  const photo = await import('../src/functions/startPhotoJob/handler')
  const getExecution = await import('../src/functions/getExecution/handler')
  // The routes' schemas, from the routes themselves (route.ts), as the handlers use them.
  const routes = {
    text: await import('../src/functions/startTextJob/route'),
    photo: await import('../src/functions/startPhotoJob/route'),
    getExecution: await import('../src/functions/getExecution/route'),
  }
  handlers = {
    startText: text.handler as unknown as Handler,
    startPhoto: photo.handler as unknown as Handler,
    getExecution: getExecution.handler as unknown as Handler,
  }
  schemas = { text: routes.text.body, photo: routes.photo.body, executionPath: routes.getExecution.path }
  machines = { text: process.env.TEXT_STATE_MACHINE_ARN!, photo: process.env.PHOTO_STATE_MACHINE_ARN! }
})

const context = () => ({ awsRequestId: randomUUID(), functionName: 'fuzz' }) as unknown as Context

const event = (
  method: string,
  path: string,
  body: string | null,
  pathParameters: Record<string, string> | null,
  { type = 'application/json', sub }: { type?: string; sub: string | undefined },
): APIGatewayProxyEvent =>
  ({
    httpMethod: method,
    path,
    body,
    isBase64Encoded: false,
    headers: { 'Content-Type': type },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters,
    stageVariables: null,
    resource: path,
    requestContext: { authorizer: sub ? { sub, username: 'fuzz', groups: '[]' } : null },
  }) as unknown as APIGatewayProxyEvent

const isProblem = (response: APIGatewayProxyResult) =>
  response.statusCode >= 400 &&
  response.statusCode < 500 &&
  String(response.headers?.['content-type']).startsWith('application/problem+json')

const owner = `fuzz-${randomUUID()}`
const stranger = `fuzz-${randomUUID()}`
const started = new Set<string>()

/** This run's executions of `machine`, by name: the only way a start shows. */
const ours = async (machine: keyof typeof machines) =>
  (await sfn().executions(machines[machine]))
    .filter((execution) => execution.input.owner === owner)
    .map((execution) => execution.name)
    .sort()
let client: ReturnType<typeof stepFunctions> | undefined
const sfn = () => {
  client ??= stepFunctions(localCloud())
  return client
}

const RUNS = 200
/** Every accepted start runs a real pipeline on two shared cores. */
const TIMEOUT = 240_000
const oddBody = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string(),
)
const contentType = fc.oneof(
  { weight: 9, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', '') },
)
const authenticated = fc.oneof(
  { weight: 9, arbitrary: fc.constant(true) },
  { weight: 1, arbitrary: fc.constant(false) },
)
/**
 * Sends each generated start request and checks: the status is the contract's (202 or the HTTP
 * stack's 4xx), a 202 started exactly one execution, named by the id it answered, and a refused
 * request started none (ListExecutions on the local Step Functions host).
 */
const fuzzStart = async (
  route: 'text' | 'photo',
  handler: () => Handler,
  contract: HttpRouteContract,
  valid: fc.Arbitrary<unknown>,
) => {
  const requests = fc.record({
    body: jsonBodies(contract.body!, { valid, odd: oddBody }),
    type: contentType,
    authenticated,
  })
  await fuzzStatuses(
    `POST /workflows/${route}`,
    { runs: RUNS, minAccepted: 0.2, declared: [400, 401, 415] },
    requests,
    async (input) => {
      const before = await ours(route)
      const response = await handler()(
        event('POST', `/workflows/${route}`, input.body, null, {
          type: input.type,
          sub: input.authenticated ? owner : undefined,
        }),
        context(),
      )
      const expected =
        httpVerdict(contract, {
          authenticated: input.authenticated,
          headers: { 'Content-Type': input.type },
          body: input.body,
        }) ?? 202
      expect(response.statusCode, `${input.body.slice(0, 300)} → ${response.body}`).toBe(expected)
      if (response.statusCode !== 202) expect(isProblem(response), response.body).toBe(true)
      const after = await ours(route)
      if (response.statusCode === 202) {
        const { id } = JSON.parse(response.body) as { id: string }
        started.add(id)
        expect(after).toEqual([...before, id].sort())
      } else expect(after).toEqual(before)
      return response.statusCode
    },
  )
}

describe('POST /workflows/text (fuzzed)', () => {
  it(
    '202 starts exactly one execution; every refused request starts none',
    async () => {
      await fuzzStart(
        'text',
        () => handlers.startText,
        { auth: true, maxBodyBytes: 5 * 1024 * 1024, body: schemas.text },
        validInput(schemas.text),
      )
    },
    TIMEOUT,
  )
})

describe('POST /workflows/photo (fuzzed)', () => {
  it(
    '202 starts exactly one execution for a key under photos/; every refused request starts none',
    async () => {
      // The schema's refinement (a key under photos/) is beyond what validInput reads: build keys there.
      const valid = fc
        .string({ minLength: 1, maxLength: 60 })
        .map((rest) => ({ key: `photos/${rest}` }))
        .filter((body) => schemas.photo.safeParse(body).success)
      await fuzzStart('photo', () => handlers.startPhoto, { auth: true, body: schemas.photo }, valid)
    },
    TIMEOUT,
  )
})

describe('GET /workflows/executions/{id} (fuzzed)', () => {
  it(
    "the caller's own job, 404 for an unknown or another user's id, 400 for a malformed one",
    async () => {
      const ids = fc.oneof(
        { weight: 3, arbitrary: fc.constant('started' as const).map(() => [...started]) },
        { weight: 1, arbitrary: fc.uuid().map((id) => [id]) },
        { weight: 1, arbitrary: fc.string().map((id) => [id]) },
      )
      const requests = fc.record({
        ids,
        index: fc.nat(),
        asStranger: fc.oneof(
          { weight: 5, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      })
      await fuzzStatuses(
        'GET /workflows/executions/{id}',
        { runs: RUNS, minAccepted: 0.2, declared: [400, 404] },
        requests,
        async (input) => {
          const id = input.ids.length ? input.ids[input.index % input.ids.length]! : randomUUID()
          const response = await handlers.getExecution(
            event(
              'GET',
              `/workflows/executions/${id}`,
              null,
              { id },
              { sub: input.asStranger ? stranger : owner },
            ),
            context(),
          )
          const expected = !schemas.executionPath.safeParse({ id }).success
            ? 400
            : started.has(id) && !input.asStranger
              ? 200
              : 404
          expect(response.statusCode, response.body).toBe(expected)
          if (response.statusCode === 200) expect(JSON.parse(response.body)).toMatchObject({ id })
          return response.statusCode
        },
      )
    },
    TIMEOUT,
  )
})
