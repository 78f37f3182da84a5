import {
  fileLinkRequestSchema,
  fileLinkSchema,
  filePageSchema,
  listFilesQuerySchema,
} from '@app/domain/files'
import {
  listTodosQuerySchema,
  newTodoSchema,
  todoChangesPageSchema,
  todoChangesQuerySchema,
  todoPageSchema,
  todoPatchSchema,
  todoPathSchema,
  todoSchema,
} from '@app/domain/todos'
import { apiGatewayServer } from '@app/openapi'
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi'
import * as z from 'zod'

/**
 * The OpenAPI 3.1 document of the todo API, generated from the very zod schemas the handlers
 * validate with, so the document cannot drift from the behaviour.
 */
const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int().optional(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' })

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
})

const etagHeader = {
  ETag: { description: 'Strong validator of this representation', schema: { type: 'string' as const } },
}
const ifMatch = z.object({
  'If-Match': z.string().meta({ description: 'The ETag of the todo as you last read it' }),
})
const ifNoneMatch = z.object({
  'If-None-Match': z.string().optional().meta({ description: 'An ETag you hold; 304 if still current' }),
})

const common = {
  400: problem('Invalid input (each offending field is named in `errors`)'),
  401: problem('Missing, invalid or expired access token'),
}

export const buildOpenApiDocument = (options: { maxUploadBytes: number; serverUrl?: string }) => {
  const registry = new OpenAPIRegistry()
  const bearer = registry.registerComponent('securitySchemes', 'cognito', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Cognito User Pool access token',
  })
  const security = [{ [bearer.name]: [] }]
  const json = <S extends z.ZodType>(schema: S) => ({ content: { 'application/json': { schema } } })

  registry.registerPath({
    method: 'post',
    path: '/todos',
    operationId: 'createTodo',
    summary: 'Create a todo',
    security,
    request: {
      headers: z.object({
        'Idempotency-Key': z
          .string()
          .optional()
          .meta({ description: 'Same key and body: same result, no duplicate; different body: 422' }),
      }),
      body: { ...json(newTodoSchema), required: true },
    },
    responses: {
      201: { description: 'Created', headers: etagHeader, ...json(todoSchema) },
      ...common,
      409: problem('A request with the same Idempotency-Key is still running'),
      413: problem('Body too large'),
      415: problem('Body is not JSON'),
      422: problem('Idempotency-Key reused with a different body'),
    },
  })
  registry.registerPath({
    method: 'get',
    path: '/todos',
    operationId: 'listTodos',
    summary: 'List your todos, newest first',
    security,
    request: { query: listTodosQuerySchema, headers: ifNoneMatch },
    responses: {
      200: { description: 'One page', headers: etagHeader, ...json(todoPageSchema) },
      304: { description: 'Not modified' },
      ...common,
    },
  })
  registry.registerPath({
    method: 'get',
    path: '/todos/changes',
    operationId: 'listTodoChanges',
    summary: 'Sync: every todo created, changed or deleted since your token, oldest first',
    security,
    request: { query: todoChangesQuerySchema },
    responses: {
      200: { description: 'Changes and the token to pass next time', ...json(todoChangesPageSchema) },
      ...common,
      410: problem('Token older than the tombstone retention: drop local state and sync without `since`'),
    },
  })
  registry.registerPath({
    method: 'get',
    path: '/todos/{id}',
    operationId: 'getTodo',
    summary: 'Get one todo',
    security,
    request: { params: todoPathSchema, headers: ifNoneMatch },
    responses: {
      200: { description: 'The todo', headers: etagHeader, ...json(todoSchema) },
      304: { description: 'Not modified' },
      ...common,
      404: problem('No such todo (or not yours)'),
    },
  })
  registry.registerPath({
    method: 'patch',
    path: '/todos/{id}',
    operationId: 'updateTodo',
    summary: 'Change a todo (optimistic concurrency)',
    security,
    request: { params: todoPathSchema, headers: ifMatch, body: { ...json(todoPatchSchema), required: true } },
    responses: {
      200: { description: 'The changed todo', headers: etagHeader, ...json(todoSchema) },
      ...common,
      404: problem('No such todo (or not yours)'),
      412: problem('If-Match does not match the current version (`current` and `etag`: the todo now)'),
      428: problem('If-Match missing'),
    },
  })
  registry.registerPath({
    method: 'delete',
    path: '/todos/{id}',
    operationId: 'deleteTodo',
    summary: 'Delete a todo',
    security,
    request: { params: todoPathSchema, headers: z.object({ 'If-Match': z.string().optional() }) },
    responses: {
      204: { description: 'Deleted' },
      ...common,
      404: problem('No such todo (or not yours)'),
      412: problem('If-Match does not match the current version (`current` and `etag`: the todo now)'),
    },
  })
  registry.registerPath({
    method: 'get',
    path: '/files',
    operationId: 'listFiles',
    summary: 'List the files in your folder',
    security,
    request: { query: listFilesQuerySchema },
    responses: { 200: { description: 'One page', ...json(filePageSchema) }, ...common },
  })
  registry.registerPath({
    method: 'post',
    path: '/files/links',
    operationId: 'createFileLink',
    summary: 'Get a presigned URL to upload, download or delete one of your files',
    security,
    request: { body: { ...json(fileLinkRequestSchema(options.maxUploadBytes)), required: true } },
    responses: {
      201: { description: 'A short-lived URL', ...json(fileLinkSchema) },
      ...common,
      404: problem('No such file (download/delete)'),
    },
  })

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Todo API',
      version: '1.0.0',
      description: 'The mobile app backend: todos and a private file folder per user.',
      // The repo states no licence; an SPDX LicenseRef says so instead of inventing one.
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: options.serverUrl
      ? [{ url: options.serverUrl }]
      : [apiGatewayServer('API Gateway (the `todoApi` endpoint of a deployed stage)')],
  })
}

/**
 * The document as the openapi function serves it without zod-to-openapi in its bundle: generated
 * once here (checked in as `functions/openapi/openapi.generated.json`, kept current by its test),
 * plus the JSON pointers where the deploy-time `MAX_UPLOAD_BYTES` appears, found by generating it
 * for two sizes and comparing. Anything else that differed would not be expressible this way, so
 * it fails here instead of serving a wrong document.
 */
export interface PrecomputedOpenApiDocument {
  maxUploadBytesAt: string[]
  document: Record<string, unknown>
}

export const precomputeOpenApiDocument = (
  build: (options: { maxUploadBytes: number }) => unknown = buildOpenApiDocument,
): PrecomputedOpenApiDocument => {
  const [a, b] = [1_000_003, 2_000_029]
  const document = JSON.parse(JSON.stringify(build({ maxUploadBytes: a })))
  const other = JSON.parse(JSON.stringify(build({ maxUploadBytes: b })))
  const maxUploadBytesAt: string[] = []
  const compare = (left: unknown, right: unknown, pointer: string) => {
    if (left && right && typeof left === 'object' && typeof right === 'object') {
      const keys = Object.keys(left)
      if (Array.isArray(left) !== Array.isArray(right) || keys.join() !== Object.keys(right).join())
        throw new Error(`OpenAPI document: the shape at '${pointer}' depends on maxUploadBytes`)
      for (const key of keys)
        compare(
          (left as Record<string, unknown>)[key],
          (right as Record<string, unknown>)[key],
          `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`,
        )
    } else if (left !== right) {
      if (left !== a || right !== b)
        throw new Error(`OpenAPI document: '${pointer}' depends on maxUploadBytes other than as its value`)
      maxUploadBytesAt.push(pointer)
    }
  }
  compare(document, other, '')
  return { maxUploadBytesAt, document }
}
