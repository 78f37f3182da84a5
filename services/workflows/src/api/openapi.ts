import { NotFoundError, UnsupportedMediaTypeError, ValidationError } from '@app/domain'
import { failureCodes, workflows } from '@app/domain/jobs'
import { dailyQuotaExceeded } from '@app/domain/quota'
import {
  apiGatewayServer,
  ifNoneMatchHeader,
  internalProblemResponse,
  json,
  notModifiedResponse,
  openApiDocument,
  problemResponse,
  quotaExceededResponse,
  responseHeaders,
} from '@app/openapi'
import { PayloadTooLargeError, UnauthorizedError } from '@app/runtime/http'
import * as z from 'zod'
import { path as executionPath } from '../functions/getExecution/route'
import { body as photoBody } from '../functions/startPhotoJob/route'
import { body as textBody } from '../functions/startTextJob/route'

/**
 * The OpenAPI 3.1 document of the workflows API, generated from the zod schemas its routes validate
 * with (request bodies and path) plus the shapes they answer with. Checked in as
 * `functions/openapi/openapi.generated.json` (its test fails when the two drift) and served as is.
 * Paths are relative to `/workflows`, so a client's base URL is the `workflowsApi` endpoint.
 */

const jobId = z.uuid().meta({ example: '0b6a8c8e-5d1f-4a57-9f4e-2f8d7c1e3a90' })
const started = {
  id: '0b6a8c8e-5d1f-4a57-9f4e-2f8d7c1e3a90',
  status: 'RUNNING' as const,
  links: { self: '/workflows/executions/0b6a8c8e-5d1f-4a57-9f4e-2f8d7c1e3a90' },
}

export const jobStartedSchema = z
  .strictObject({
    id: jobId,
    status: z.literal('RUNNING'),
    links: z.strictObject({ self: z.string().meta({ description: 'Poll this for the outcome' }) }),
  })
  .meta({ id: 'JobStarted' })

export const jobSchema = z
  .strictObject({
    id: jobId,
    workflow: z.enum(workflows),
    status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']),
    createdAt: z.iso.datetime().optional(),
    finishedAt: z.iso.datetime().optional(),
    result: z.unknown().optional().meta({ description: "The pipeline's result once SUCCEEDED" }),
    error: z
      .strictObject({
        code: z.enum(Object.keys(failureCodes) as [keyof typeof failureCodes]),
        message: z.string(),
      })
      .optional()
      .meta({ description: 'Why it did not succeed: a fixed vocabulary, none of our internals' }),
  })
  .meta({ id: 'Job' })

const problems = {
  400: problemResponse(
    'Invalid input (each offending field is named in `errors`)',
    new ValidationError('Invalid body', [
      { pointer: '/body/text', detail: 'Invalid input: expected string' },
    ]),
  ),
  401: problemResponse(
    'Missing, invalid or expired access token',
    new UnauthorizedError('A valid bearer token is required'),
  ),
  413: problemResponse('Body too large', new PayloadTooLargeError('Request body exceeds 16384 bytes')),
  415: problemResponse(
    'Body is not JSON',
    new UnsupportedMediaTypeError('Request body must be JSON (Content-Type: application/json)'),
  ),
  429: quotaExceededResponse(
    "The caller's daily quota of jobs (text and photo together, per UTC day) is used up; nothing was started",
    dailyQuotaExceeded('workflow jobs', 100, new Date('2026-12-01T18:45:00Z')),
  ),
}

const startResponses = (example: string) => ({
  202: {
    description: 'Started: poll `Location` (or `links.self`) for the outcome',
    headers: { ...responseHeaders.location(example), ...responseHeaders.retryAfter },
    ...json(jobStartedSchema, started),
  },
  ...problems[400],
  ...problems[401],
  ...problems[413],
  ...problems[415],
  ...problems[429],
  ...internalProblemResponse,
})

export const buildOpenApiDocument = () => {
  const doc = openApiDocument({
    title: 'Workflows API',
    version: '1.0.0',
    description:
      'Starts the Step Functions pipelines (a text report, a photo pipeline) and reports their outcome. ' +
      'Jobs are private to the caller.',
    servers: [
      apiGatewayServer('API Gateway (the `workflowsApi` endpoint of a deployed stage)', '/workflows'),
    ],
  })
  doc.route({
    method: 'post',
    path: '/text',
    operationId: 'startTextJob',
    summary: 'Start the text pipeline',
    description:
      'Counts the words of a text (validate, strip, count, store); the top `topN` words are reported.',
    security: doc.security,
    request: {
      body: {
        ...json(textBody, { text: 'the quick brown fox jumps over the lazy dog', topN: 3 }),
        required: true,
      },
    },
    responses: startResponses(started.links.self),
  })
  doc.route({
    method: 'post',
    path: '/photo',
    operationId: 'startPhotoJob',
    summary: 'Start the photo pipeline on a blog photo',
    security: doc.security,
    request: {
      body: {
        ...json(photoBody, { key: 'photos/hello-world/3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f.jpg' }),
        required: true,
      },
    },
    responses: startResponses(started.links.self),
  })
  doc.route({
    method: 'get',
    path: '/executions/{id}',
    operationId: 'getExecution',
    summary: 'Get a job: its status, and the result or the failure once finished',
    security: doc.security,
    request: { params: executionPath, headers: ifNoneMatchHeader },
    responses: {
      200: {
        description: 'The job',
        headers: { ...responseHeaders.etag, ...responseHeaders.cacheControl },
        ...json(jobSchema, {
          id: started.id,
          workflow: 'text',
          status: 'SUCCEEDED',
          createdAt: '2026-12-01T10:00:00.000Z',
          finishedAt: '2026-12-01T10:00:02.000Z',
          result: { words: 9, top: [{ word: 'the', count: 2 }] },
        }),
      },
      ...notModifiedResponse,
      ...problemResponse(
        'Invalid id (not a UUID)',
        new ValidationError('Invalid path', [{ pointer: '/path/id', detail: 'Invalid UUID' }]),
      ),
      ...problems[401],
      ...problemResponse('No such job (or not yours)', new NotFoundError(`No job ${started.id}`)),
      ...internalProblemResponse,
    },
  })
  return doc.generate()
}
