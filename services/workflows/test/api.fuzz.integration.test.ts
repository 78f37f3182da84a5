/**
 * Fuzzes the three HTTP handlers in-process against the run's local cloud (DynamoDB Local, s3rver,
 * the local Step Functions host): whatever the body or path, the answer is a 202/200 or a precise
 * 4xx problem, never a 5xx, and a refused request starts nothing.
 */
import { randomUUID } from 'node:crypto'
import { useFunctionEnv } from '@app/local-cloud/testing'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { printedModel } from './support'

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>
let handlers: { startText: Handler; startPhoto: Handler; getExecution: Handler }

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
  handlers = {
    startText: (await import('../src/functions/startTextJob/handler')).handler as unknown as Handler,
    startPhoto: (await import('../src/functions/startPhotoJob/handler')).handler as unknown as Handler,
    getExecution: (await import('../src/functions/getExecution/handler')).handler as unknown as Handler,
  }
})

const context = () => ({ awsRequestId: randomUUID(), functionName: 'fuzz' }) as unknown as Context

const event = (
  method: string,
  path: string,
  body: string | null,
  pathParameters: Record<string, string> | null = null,
): APIGatewayProxyEvent =>
  ({
    httpMethod: method,
    path,
    body,
    isBase64Encoded: false,
    headers: { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters,
    stageVariables: null,
    resource: path,
    requestContext: { authorizer: { sub: 'fuzz-user', username: 'fuzz', groups: '' } },
  }) as unknown as APIGatewayProxyEvent

const isProblem = (response: APIGatewayProxyResult) =>
  response.statusCode >= 400 &&
  response.statusCode < 500 &&
  String(response.headers?.['content-type']).startsWith('application/problem+json')

/** Bodies: arbitrary JSON, JSON near the schema, and text that is not JSON at all. */
const bodies = (nearSchema: fc.Arbitrary<unknown>) =>
  fc.oneof(
    fc.jsonValue().map((value) => JSON.stringify(value)),
    nearSchema.map((value) => JSON.stringify(value)),
    fc.string(),
  )

describe('POST /workflows/text (fuzzed)', () => {
  it('answers 202 for valid bodies and a 4xx problem for everything else, never a 5xx', async () => {
    const nearSchema = fc.record(
      {
        text: fc.oneof(fc.string({ unit: 'grapheme' }), fc.integer()),
        topN: fc.oneof(fc.integer(), fc.string()),
      },
      { requiredKeys: [] },
    )
    await fc.assert(
      fc.asyncProperty(bodies(nearSchema), async (body) => {
        const response = await handlers.startText(event('POST', '/workflows/text', body), context())
        let parsed: { text?: unknown; topN?: unknown } | undefined
        try {
          parsed = JSON.parse(body)
        } catch {
          parsed = undefined
        }
        const valid =
          parsed !== null &&
          typeof parsed === 'object' &&
          !Array.isArray(parsed) &&
          Object.keys(parsed).every((key) => key === 'text' || key === 'topN') &&
          typeof parsed.text === 'string' &&
          (parsed.topN === undefined ||
            (Number.isInteger(parsed.topN) && (parsed.topN as number) >= 1 && (parsed.topN as number) <= 100))
        if (valid) expect(response.statusCode, response.body).toBe(202)
        else expect(isProblem(response), `${response.statusCode} ${response.body}`).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})

describe('POST /workflows/photo (fuzzed)', () => {
  it('accepts only keys under photos/ and answers a 4xx problem for the rest', async () => {
    const nearSchema = fc.record(
      {
        key: fc.oneof(
          fc.string(),
          fc.string().map((s) => `photos/${s}`),
          fc.constant('photos/../x.jpg'),
        ),
      },
      { requiredKeys: [] },
    )
    await fc.assert(
      fc.asyncProperty(bodies(nearSchema), async (body) => {
        const response = await handlers.startPhoto(event('POST', '/workflows/photo', body), context())
        expect(
          response.statusCode === 202 || isProblem(response),
          `${response.statusCode} ${response.body}`,
        ).toBe(true)
        if (response.statusCode === 202) {
          const { key } = JSON.parse(body) as { key: string }
          expect(key.startsWith('photos/') && !key.includes('..')).toBe(true)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('GET /workflows/executions/{id} (fuzzed)', () => {
  it('answers 400 for malformed ids and 404 for unknown ones, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.uuid()), async (id) => {
        const response = await handlers.getExecution(
          event('GET', `/workflows/executions/${id}`, null, { id }),
          context(),
        )
        // Nobody owns a random id: a well-formed one is unknown (404), anything else malformed (400).
        expect(response.statusCode, response.body).toBe(z.uuid().safeParse(id).success ? 404 : 400)
      }),
      { numRuns: 300 },
    )
  })
})
