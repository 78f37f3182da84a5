/**
 * API Gateway's own error responses, as the deployed REST API answers them: the service's
 * `AWS::ApiGateway::GatewayResponse` resources (from its resolved template) pick status, headers and
 * body per response type, falling back to DEFAULT_4XX / DEFAULT_5XX and then to API Gateway's
 * built-in `{"message": ...}` body.
 *
 * The body templates are VTL, but a gateway response can only use `$context` variables (no
 * `$input`, no directives), so this renders exactly those variables instead of embedding a Velocity
 * engine: `$context.error.messageString` is the message as a quoted JSON string, as AWS documents.
 */
import type { CfnResource } from '@app/cloudformation'

/** The response types the local gateway can produce (a subset of API Gateway's). */
export type GatewayResponseType =
  | 'UNAUTHORIZED'
  | 'ACCESS_DENIED'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'REQUEST_TOO_LARGE'
  | 'THROTTLED'
  | 'INTEGRATION_FAILURE'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'

interface GatewayResponseDefinition {
  statusCode?: number
  headers: Record<string, string>
  template?: string
}

export type GatewayResponses = ReadonlyMap<string, GatewayResponseDefinition>

/** API Gateway's defaults: status and message per type when the template does not override them. */
const builtIn: Record<GatewayResponseType, { status: number; message: string }> = {
  UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource' },
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token' },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long' },
  THROTTLED: { status: 429, message: 'Too Many Requests' },
  INTEGRATION_FAILURE: { status: 502, message: 'Internal server error' },
  DEFAULT_4XX: { status: 400, message: 'Bad Request' },
  DEFAULT_5XX: { status: 500, message: 'Internal server error' },
}

type TemplateResource = Partial<
  CfnResource<{
    ResponseType?: string
    StatusCode?: string | number
    ResponseParameters?: Record<string, unknown>
    ResponseTemplates?: Record<string, unknown>
  }>
>

/** The gateway responses a resolved template declares, by response type. */
export const gatewayResponsesOf = (resources: Record<string, unknown>): GatewayResponses => {
  const responses = new Map<string, GatewayResponseDefinition>()
  for (const resource of Object.values(resources) as TemplateResource[]) {
    if (resource?.Type !== 'AWS::ApiGateway::GatewayResponse' || !resource.Properties?.ResponseType) continue
    const { ResponseType, StatusCode, ResponseParameters = {}, ResponseTemplates = {} } = resource.Properties
    const headers: Record<string, string> = {}
    for (const [key, value] of Object.entries(ResponseParameters)) {
      const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1]
      // Static values are quoted ('value'); mapped ones ($context...) are not supported here.
      const literal = typeof value === 'string' ? /^'(.*)'$/.exec(value)?.[1] : undefined
      if (name && literal !== undefined) headers[name.toLowerCase()] = literal
    }
    const template = ResponseTemplates['application/json']
    responses.set(ResponseType, {
      ...(StatusCode !== undefined ? { statusCode: Number(StatusCode) } : {}),
      headers,
      ...(typeof template === 'string' ? { template } : {}),
    })
  }
  return responses
}

export interface RenderedResponse {
  status: number
  headers: Record<string, string>
  body: string
}

const fallbackOf = (type: GatewayResponseType, status: number) =>
  type.startsWith('DEFAULT_') ? undefined : status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX'

/** The response the deployed gateway gives for `type` (status: the actual status when the type has none). */
export const renderGatewayResponse = (
  responses: GatewayResponses,
  type: GatewayResponseType,
  context: { path: string; requestId: string; message?: string; status?: number },
): RenderedResponse => {
  const defaults = builtIn[type]
  const status = context.status ?? defaults.status
  const message = context.message ?? defaults.message
  const definition = responses.get(type) ?? responses.get(fallbackOf(type, status) ?? type)
  const variables: Record<string, string> = {
    'context.error.messageString': JSON.stringify(message),
    'context.error.message': message,
    'context.error.responseType': type,
    'context.path': context.path,
    'context.resourcePath': context.path,
    'context.requestId': context.requestId,
  }
  const body = definition?.template
    ? definition.template.replace(/\$(?:\{([\w.]+)\}|([\w.]+[\w]))/g, (match, braced, bare) => {
        const name = String(braced ?? bare)
        return variables[name] ?? match
      })
    : JSON.stringify({ message })
  return {
    status: definition?.statusCode ?? status,
    headers: { 'content-type': 'application/json', ...definition?.headers },
    body,
  }
}
