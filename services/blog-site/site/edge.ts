/**
 * A local stand-in for the blog's CloudFront distribution (`pnpm dev` and the browser test):
 * ordered path behaviours to S3 buckets (s3rver) or an HTTP origin (serverless-offline), the real
 * viewer-request function (cloudfront/viewer-request.js) on the S3 behaviours, and the security
 * headers of the response headers policy on every answer. No caching and no TLS: those are
 * CloudFront's, covered by the template test.
 *
 * Nothing in it is specific to the blog; it is a candidate for packages/local-cloud.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import {
  isGeneratedResponse,
  type ViewerRequestFunction,
  type ViewerResponseFunction,
} from '../cloudfront/load'

export type Origin =
  | { kind: 's3'; s3: S3Client; bucket: string }
  | {
      kind: 'http'
      baseUrl: string
      /** CloudFront's origin custom headers: added to every origin request, over a viewer's own. */
      headers?: Record<string, string>
    }

export interface Behaviour {
  /** CloudFront path pattern of the form `/prefix/*`, or `*` for the default behaviour. */
  pathPattern: string
  origin: Origin
  viewerRequest?: ViewerRequestFunction
  /** Sees the origin's status and headers (S3 metadata as `x-amz-meta-*`) before the viewer does. */
  viewerResponse?: ViewerResponseFunction
  /** This behaviour's own response headers policy (CloudFront's per-behaviour policy); else the edge's. */
  responseHeaders?: Record<string, string>
}

export interface EdgeOptions {
  /** Ordered like CloudFront's cache behaviours; the `*` one last. */
  behaviours: Behaviour[]
  responseHeaders: Record<string, string>
  port?: number
  host?: string
}

export interface Edge {
  url: string
  close(): Promise<void>
}

const matches = (pattern: string, path: string) =>
  pattern === '*' || (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern)

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, never forwarded.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
])

const toQuerystring = (url: URL) =>
  Object.fromEntries([...url.searchParams].map(([name, value]) => [name, { value }]))

const send = (response: ServerResponse, status: number, headers: Record<string, string>, body?: string) => {
  response.writeHead(status, headers)
  response.end(body)
}

const fromS3 = async (
  origin: Extract<Origin, { kind: 's3' }>,
  uri: string,
  request: IncomingMessage,
  response: ServerResponse,
  extra: Record<string, string>,
  viewerResponse?: ViewerResponseFunction,
) => {
  let key: string
  try {
    key = decodeURIComponent(uri.slice(1))
  } catch {
    return send(response, 400, { ...extra, 'content-type': 'text/plain' }, 'Bad Request')
  }
  try {
    const object = await origin.s3.send(
      new GetObjectCommand({
        Bucket: origin.bucket,
        Key: key,
        ...(request.headers['if-none-match'] ? { IfNoneMatch: request.headers['if-none-match'] } : {}),
      }),
    )
    const headers: Record<string, string> = { ...extra }
    if (object.ContentType) headers['content-type'] = object.ContentType
    if (object.CacheControl) headers['cache-control'] = object.CacheControl
    if (object.ETag) headers.etag = object.ETag
    if (object.LastModified) headers['last-modified'] = object.LastModified.toUTCString()
    if (object.ContentLength !== undefined) headers['content-length'] = String(object.ContentLength)
    for (const [name, value] of Object.entries(object.Metadata ?? {})) headers[`x-amz-meta-${name}`] = value
    let status = 200
    if (viewerResponse) {
      const answer = viewerResponse({
        response: {
          statusCode: 200,
          headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { value: v }])),
        },
      })
      status = answer.statusCode
      for (const name of Object.keys(headers)) delete headers[name]
      for (const [name, { value }] of Object.entries(answer.headers)) headers[name] = value
    }
    response.writeHead(status, headers)
    if (request.method === 'HEAD' || !object.Body) return response.end()
    ;(object.Body as Readable).pipe(response)
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
    if (status === 304) return send(response, 304, extra)
    // Without s3:ListBucket, S3 answers 403 for a missing key; the function keeps pages from it.
    if (status === 404 || status === 403)
      return send(response, 404, { ...extra, 'content-type': 'text/plain' }, 'Not Found')
    throw error
  }
}

const fromHttp = (
  origin: Extract<Origin, { kind: 'http' }>,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
  extra: Record<string, string>,
) =>
  new Promise<void>((resolve, reject) => {
    const target = new URL(url.pathname + url.search, origin.baseUrl)
    const headers = {
      ...Object.fromEntries(
        Object.entries(request.headers).filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'host'),
      ),
      ...Object.fromEntries(
        Object.entries(origin.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      ),
    }
    const upstream = httpRequest(target, { method: request.method, headers }, (answer) => {
      const forwarded = Object.fromEntries(
        Object.entries(answer.headers).filter(
          ([name, value]) => !HOP_BY_HOP.has(name) && value !== undefined,
        ),
      ) as Record<string, string | string[]>
      response.writeHead(answer.statusCode ?? 502, { ...forwarded, ...extra })
      answer.pipe(response)
      answer.on('end', resolve)
      answer.on('error', reject)
    })
    upstream.on('error', reject)
    Readable.from(request).pipe(upstream)
  })

export const startEdge = async (options: EdgeOptions): Promise<Edge> => {
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://edge.local')
    const behaviour = options.behaviours.find((candidate) => matches(candidate.pathPattern, url.pathname))
    if (!behaviour) return send(response, 404, options.responseHeaders)
    const responseHeaders = behaviour.responseHeaders ?? options.responseHeaders
    let uri = url.pathname
    if (behaviour.viewerRequest) {
      const result = behaviour.viewerRequest({
        request: {
          method: request.method ?? 'GET',
          uri,
          querystring: toQuerystring(url),
          headers: Object.fromEntries(
            Object.entries(request.headers).map(([k, v]) => [k, { value: String(v) }]),
          ),
        },
      })
      if (isGeneratedResponse(result)) {
        const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, v.value]))
        return send(response, result.statusCode, { ...responseHeaders, ...headers })
      }
      uri = result.uri
    }
    if (behaviour.origin.kind === 's3') {
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return send(response, 403, { ...responseHeaders, allow: 'GET, HEAD' })
      return fromS3(behaviour.origin, uri, request, response, responseHeaders, behaviour.viewerResponse)
    }
    return fromHttp(behaviour.origin, url, request, response, responseHeaders)
  }
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent)
        send(response, 502, { 'content-type': 'text/plain' }, `Bad Gateway: ${error.message}`)
      else response.destroy(error)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
