import type { DomainError, QuotaExceededError } from '@app/domain'
import { type HttpError, PROBLEM_CONTENT_TYPE, problemFromDomainError } from '@app/runtime/http'
import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi'
import * as z from 'zod'

/**
 * Build-time helpers for the OpenAPI 3.1 documents of blog-site and workflows (zod-to-openapi over
 * the routes' own zod schemas). Never imported by a function: each service checks the generated
 * JSON in and its `openapi` function serves that file, so this library stays out of every bundle.
 */

/** RFC 9457 problem details, as `@app/runtime/http` writes them for every error. */
export const problemSchema = z
  .strictObject({
    type: z.string().meta({ example: '/problems/not-found' }),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.strictObject({ pointer: z.string(), detail: z.string() }))
      .optional()
      .meta({ description: 'One entry per offending field (400 only)' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' })

/**
 * One problem response keyed by its status, with an example made by the very mapping the HTTP stack
 * uses (`problemFromDomainError`), so the example cannot show a title or type the API never sends.
 */
export const problemResponse = (
  description: string,
  error: DomainError | HttpError,
  instance?: string,
): Record<number, ResponseConfig> => {
  const example = problemFromDomainError(error, instance)
  return {
    [example.status]: {
      description,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema, example } },
    },
  }
}

/** The 429 of a used-up quota (`QuotaExceededError`), with the `Retry-After` the HTTP stack sets on it. */
export const quotaExceededResponse = (
  description: string,
  error: QuotaExceededError,
): Record<number, ResponseConfig> => {
  const [response] = Object.values(problemResponse(description, error))
  return {
    429: {
      ...response!,
      headers: {
        'Retry-After': {
          description: 'Seconds until the quota renews; a request sent then is counted afresh',
          required: true,
          schema: { type: 'integer' as const, minimum: 1, example: error.retryAfterSeconds },
        },
      },
    },
  }
}

/** What the HTTP stack answers for anything unexpected (`internalProblem`), and API Gateway's 5xx. */
export const internalProblemResponse: Record<number, ResponseConfig> = {
  500: {
    description: 'Something failed on our side; the body says nothing more (it is logged)',
    content: {
      [PROBLEM_CONTENT_TYPE]: {
        schema: problemSchema,
        example: {
          type: '/problems/internal',
          title: 'Internal Server Error',
          status: 500,
          detail: 'The server could not complete the request. It has been logged.',
        },
      },
    },
  },
}

/** Response headers the HTTP stack sets (`httpRoute`'s `cacheControl` and `headers`). */
export const responseHeaders = {
  etag: {
    ETag: {
      description: 'Strong validator of this representation; send it back in `If-None-Match`',
      schema: { type: 'string' as const, example: '"3q2-7w_uJmL0dxQ8r1y9Vt4hXkQzW5c"' },
    },
  },
  cacheControl: {
    'Cache-Control': {
      description: 'How long shared caches may keep it',
      schema: { type: 'string' as const },
    },
  },
  location: (example: string) => ({
    Location: {
      description: 'Where the created resource lives',
      required: true,
      schema: { type: 'string' as const, example },
    },
  }),
  retryAfter: {
    'Retry-After': {
      description: 'Seconds to wait before polling the `Location`',
      required: true,
      schema: { type: 'integer' as const, minimum: 0, example: 1 },
    },
  },
}

/** `If-None-Match` on a cacheable GET: the ETag you hold; 304 (no body) while it is current. */
export const ifNoneMatchHeader = z.object({
  'If-None-Match': z.string().optional().meta({
    description: 'An ETag you hold; 304 if still current',
    example: '"3q2-7w_uJmL0dxQ8r1y9Vt4hXkQzW5c"',
  }),
})

/** The 304 of a conditional GET (`If-None-Match` matched the current ETag). */
export const notModifiedResponse: Record<number, ResponseConfig> = {
  304: { description: 'Not modified: your copy (its `ETag`) is current', headers: responseHeaders.etag },
}

/** A JSON body (request or response) with one named example. */
export const json = <S extends z.ZodType>(schema: S, example?: z.input<S>) => ({
  content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
})

/** The server of a REST API on API Gateway, its id, region and stage as variables; `basePath` after the stage. */
export const apiGatewayServer = (description: string, basePath = '') => ({
  url: `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}${basePath}`,
  description,
  variables: {
    apiId: { default: 'abcdef1234', description: 'The REST API id' },
    region: { default: 'us-east-1' },
    stage: { default: 'dev' },
  },
})

export interface DocumentInfo {
  title: string
  description: string
  version: string
  servers: {
    url: string
    description: string
    variables?: Record<string, { default: string; description?: string }>
  }[]
}

/**
 * A document builder: `security` is the bearer scheme (a Cognito User Pool access token, checked by
 * the API's TOKEN authorizer); `route` registers one operation, whose `operationId` names the
 * generated client's method.
 */
export const openApiDocument = (info: DocumentInfo) => {
  const registry = new OpenAPIRegistry()
  const bearer = registry.registerComponent('securitySchemes', 'cognito', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: "A Cognito User Pool access token (the API's TOKEN authorizer verifies it)",
  })
  return {
    security: [{ [bearer.name]: [] }],
    /** An operation without a token: `security: []` says so explicitly. */
    public: [] as Record<string, string[]>[],
    route: (config: RouteConfig & { operationId: string }) => registry.registerPath(config),
    generate: () =>
      new OpenApiGeneratorV31(registry.definitions).generateDocument({
        openapi: '3.1.0',
        info: {
          title: info.title,
          version: info.version,
          description: info.description,
          // The repo states no licence; an SPDX LicenseRef says so instead of inventing one.
          license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
        },
        servers: info.servers,
      }),
  }
}
