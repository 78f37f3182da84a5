/**
 * The local API Gateway: a thin HTTP front in front of each service's serverless-offline, so the
 * local REST APIs behave at their edge as the deployed ones do.
 *
 * - serverless-offline honours `sls-offline-authorizer-override` (and other `sls-offline-*`
 *   headers) AFTER the real authorizer ran, which lets any caller become any user or group. No such
 *   header reaches serverless-offline: the request is refused as UNAUTHORIZED.
 * - serverless-offline answers its own errors (authorizer refusals, unknown routes, crashed
 *   functions) with hapi's `{statusCode, error, message}` body. Those are replaced by the service's
 *   `AWS::ApiGateway::GatewayResponse` documents, as API Gateway would send them; what the
 *   functions answer passes through untouched.
 */
import { randomUUID } from 'node:crypto'
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import { listenOnLoopback } from '../http-server'
import {
  type GatewayResponses,
  type GatewayResponseType,
  type RenderedResponse,
  renderGatewayResponse,
} from './gateway-responses'

export interface ApiGatewayOptions {
  /** Used in error messages. */
  name: string
  port: number
  /** serverless-offline's own HTTP port on 127.0.0.1. */
  upstreamPort: number
  responses: GatewayResponses
}

export interface RunningApiGateway {
  readonly url: string
  stop(): Promise<void>
}

/** Headers serverless-offline treats as instructions rather than data. */
const isOfflineControlHeader = (name: string) => name.toLowerCase().startsWith('sls-offline-')

/** hapi's error body, which only serverless-offline itself produces (our functions answer problem+json). */
const offlineErrorOf = (status: number, body: string): { message?: string } | undefined => {
  try {
    const parsed = JSON.parse(body) as { statusCode?: unknown; error?: unknown; message?: unknown }
    if (parsed && parsed.statusCode === status && typeof parsed.error === 'string')
      return typeof parsed.message === 'string' ? { message: parsed.message } : {}
  } catch {
    // Not JSON: not one of serverless-offline's own errors.
  }
  return undefined
}

const responseTypeOf = (status: number, body: string): GatewayResponseType => {
  if (status === 401) return 'UNAUTHORIZED'
  // API Gateway answers a path no resource matches with 403 "Missing Authentication Token".
  if (status === 404 && body.includes('route not found')) return 'MISSING_AUTHENTICATION_TOKEN'
  if (status === 403) return 'ACCESS_DENIED'
  if (status === 413) return 'REQUEST_TOO_LARGE'
  if (status === 429) return 'THROTTLED'
  return status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'
}

const pathOf = (request: IncomingMessage) => (request.url ?? '/').split('?')[0] ?? '/'

/** Starts the gateway on 127.0.0.1:`port`; requests go to serverless-offline unless refused here. */
export const startApiGateway = async (options: ApiGatewayOptions): Promise<RunningApiGateway> => {
  const { port, upstreamPort, responses } = options
  const send = (response: import('node:http').ServerResponse, rendered: RenderedResponse) => {
    response.writeHead(rendered.status, {
      ...rendered.headers,
      'content-length': Buffer.byteLength(rendered.body),
    })
    response.end(rendered.body)
  }

  const server: Server = createServer((request, response) => {
    const requestId = randomUUID()
    const path = pathOf(request)
    if (Object.keys(request.headers).some(isOfflineControlHeader)) {
      request.resume()
      return send(response, renderGatewayResponse(responses, 'UNAUTHORIZED', { path, requestId }))
    }
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        const status = answer.statusCode ?? 502
        const type = String(answer.headers['content-type'] ?? '')
        if (status < 400 || !type.startsWith('application/json')) {
          response.writeHead(status, answer.headers)
          answer.pipe(response)
          return
        }
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          const offlineError = offlineErrorOf(status, body)
          if (!offlineError) {
            response.writeHead(status, answer.headers)
            return response.end(body)
          }
          const kind = responseTypeOf(status, body)
          send(
            response,
            renderGatewayResponse(responses, kind, {
              path,
              requestId,
              // API Gateway's own wording, not serverless-offline's route listing.
              ...(kind === 'DEFAULT_4XX' && offlineError.message ? { message: offlineError.message } : {}),
              ...(kind.startsWith('DEFAULT_') ? { status } : {}),
            }),
          )
        })
      },
    )
    upstream.on('error', () => {
      if (response.headersSent) return response.destroy()
      send(response, renderGatewayResponse(responses, 'DEFAULT_5XX', { path, requestId, status: 502 }))
    })
    request.pipe(upstream)
  })
  return listenOnLoopback(server, port)
}
