import { ForbiddenError, parseOrThrow, UnsupportedMediaTypeError, ValidationError } from '@app/domain'
import { redactEmailAddresses } from '@app/domain/subscribers'
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import middy from '@middy/core'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import type { z } from 'zod'
import { decodeGroups } from '../auth/groups'
import { logger, MetricUnit, metrics } from '../observability'
import { ifNoneMatchHits, strongEtag } from './caching'
import { PayloadTooLargeError, UnauthorizedError } from './errors'
import { carriesOriginSecret, type OriginSecret } from './origin'
import { PROBLEM_CONTENT_TYPE, problemFor, problemHeaders } from './problem'

/** Who is calling, as established by the API's authorizer (see packages/runtime/src/auth). */
export interface Principal {
  /** The Cognito user's immutable id (`sub`): the partition of everything the user owns. */
  readonly sub: string
  readonly username?: string
  readonly groups: readonly string[]
}

export interface RouteSchemas {
  body?: z.ZodType
  query?: z.ZodType
  path?: z.ZodType
}

type Parsed<S extends RouteSchemas, K extends keyof RouteSchemas> = S[K] extends z.ZodType
  ? z.output<S[K]>
  : undefined

export interface HttpRequest<S extends RouteSchemas, A extends boolean> {
  body: Parsed<S, 'body'>
  query: Parsed<S, 'query'>
  path: Parsed<S, 'path'>
  /** Header names lower-cased: API Gateway does it, serverless-offline does not. */
  headers: Readonly<Record<string, string>>
  principal: A extends true ? Principal : Principal | undefined
  requestId: string
  /** The Lambda context, for code that needs the remaining time (e.g. idempotency records). */
  context?: Context
}

export interface HttpResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /**
   * For cacheable GETs: the response gets a strong ETag and `Cache-Control` set to this value, and a
   * matching `If-None-Match` turns it into a bodiless 304.
   */
  cacheControl?: string
}

export interface RouteOptions<S extends RouteSchemas, A extends boolean> {
  schemas?: S
  /** `true`: a request without an authorizer-established principal is a 401. */
  auth: A
  /** Upper bound on the raw body; above it the request is a 413 before any parsing. */
  maxBodyBytes?: number
  /**
   * Also take `application/x-www-form-urlencoded` bodies, parsed into an object of strings (then
   * validated by the body schema like JSON): for senders that cannot send JSON, e.g. a mail
   * client's RFC 8058 one-click unsubscribe POST.
   */
  acceptForm?: boolean
  /**
   * The API sits behind a CDN that adds this secret header: a request without it (a direct call
   * to the API's own URL) is a 403 problem before anything else runs (principal, body, handler).
   */
  origin?: OriginSecret
}

/** API Gateway REST API (v1) proxy event; the authorizer's context is flattened into `authorizer`. */
export type HttpEvent = APIGatewayProxyEvent

const DEFAULT_MAX_BODY_BYTES = 16 * 1024

const lowerCaseHeaders = (headers: APIGatewayProxyEvent['headers'] | null | undefined) => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers ?? {}))
    if (value !== undefined) out[name.toLowerCase()] = value
  return out
}

/** Reads the principal the authorizer put into the request context (see `auth/authorizer.ts`). */
export const principalOf = (event: HttpEvent): Principal | undefined => {
  const context = event.requestContext.authorizer as Record<string, unknown> | null | undefined
  const sub = context?.sub
  if (typeof sub !== 'string' || !sub) return undefined
  // Strict: an authorizer context without a JSON list of groups is no principal at all (401).
  const groups = decodeGroups(context?.groups)
  if (!groups) return undefined
  return { sub, groups, ...(typeof context?.username === 'string' ? { username: context.username } : {}) }
}

const readBody = (
  event: HttpEvent,
  headers: Record<string, string>,
  maxBytes: number,
  acceptForm: boolean,
): unknown => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8')
  if (raw.byteLength > maxBytes) throw new PayloadTooLargeError(`Request body exceeds ${maxBytes} bytes`)
  const type = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  if (acceptForm && type === 'application/x-www-form-urlencoded')
    return Object.fromEntries(new URLSearchParams(raw.toString('utf8')))
  if (type !== 'application/json' && !type.endsWith('+json'))
    throw new UnsupportedMediaTypeError('Request body must be JSON (Content-Type: application/json)')
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    throw new ValidationError('Malformed JSON in request body', [
      { pointer: '/body', detail: 'not valid JSON' },
    ])
  }
}

/**
 * The error as logs may show it: no email address in its message or stack (an address in a log is
 * personal data kept for the log's retention; a failing write may quote the value it wrote).
 */
const redacted = (error: unknown): Error => {
  const source = error instanceof Error ? error : new Error(String(error))
  const copy = new Error(redactEmailAddresses(source.message))
  copy.name = source.name
  copy.stack = redactEmailAddresses(source.stack ?? '')
  return copy
}

const json = (
  status: number,
  body: unknown,
  headers: Record<string, string>,
  contentType = 'application/json',
) => ({
  statusCode: status,
  headers: { 'content-type': contentType, ...headers },
  body: JSON.stringify(body),
})

/**
 * The one HTTP middleware stack: structured logging with request id and cold-start flag, EMF
 * metrics flushing, header normalisation, size/content-type/JSON/zod validation of body, query and
 * path, principal extraction, conditional GETs, and RFC 9457 problems for every error.
 * Handlers receive validated input and return `{status, body}`; they never build HTTP by hand.
 */
export const httpRoute = <S extends RouteSchemas = RouteSchemas, A extends boolean = true>(
  options: RouteOptions<S, A>,
  handler: (request: HttpRequest<S, A>) => Promise<HttpResult>,
) => {
  const schemas = options.schemas ?? ({} as S)
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const base = async (event: HttpEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const response = await respond(event, context)
    // One count per status class: error rates per function, and never an empty metrics flush
    // (Powertools warns on every invocation that published nothing).
    metrics.addMetric(`http${Math.floor(response.statusCode / 100)}xx`, MetricUnit.Count, 1)
    return response
  }
  const respond = async (event: HttpEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const headers = lowerCaseHeaders(event.headers)
    const instance = event.path
    try {
      if (options.origin && !carriesOriginSecret(headers, options.origin))
        throw new ForbiddenError('Call this API through its site, not its origin URL')
      const principal = principalOf(event)
      if (options.auth && !principal) throw new UnauthorizedError('A valid bearer token is required')
      const body = readBody(event, headers, maxBodyBytes, options.acceptForm ?? false)
      const request = {
        headers,
        principal,
        requestId: context.awsRequestId,
        context,
        body: schemas.body ? parseOrThrow(schemas.body, body ?? {}, 'body') : undefined,
        query: schemas.query
          ? parseOrThrow(schemas.query, event.queryStringParameters ?? {}, 'query')
          : undefined,
        path: schemas.path ? parseOrThrow(schemas.path, event.pathParameters ?? {}, 'path') : undefined,
      } as HttpRequest<S, A>
      if (!schemas.body && body !== undefined)
        throw new ValidationError('This route takes no request body', [
          { pointer: '/body', detail: 'must be empty' },
        ])
      const result = await handler(request)
      if (result.status === 204 || result.body === undefined)
        return { statusCode: result.status, headers: result.headers ?? {}, body: '' }
      if (result.cacheControl === undefined) return json(result.status, result.body, result.headers ?? {})
      const text = JSON.stringify(result.body)
      const etag = strongEtag(text)
      const cacheHeaders = { etag, 'cache-control': result.cacheControl, vary: 'Authorization' }
      if (ifNoneMatchHits(headers['if-none-match'], etag))
        return { statusCode: 304, headers: { ...result.headers, ...cacheHeaders }, body: '' }
      return {
        statusCode: result.status,
        headers: { 'content-type': 'application/json', ...result.headers, ...cacheHeaders },
        body: text,
      }
    } catch (error) {
      const problem = problemFor(error, instance)
      if (problem.status >= 500) logger.error('Unhandled error', { error: redacted(error) })
      else logger.info('Request rejected', { status: problem.status, detail: problem.detail })
      return json(problem.status, problem, problemHeaders(error), PROBLEM_CONTENT_TYPE)
    }
  }
  return middy(base)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
}
