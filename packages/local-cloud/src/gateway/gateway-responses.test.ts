import { describe, expect, it } from 'vitest'
import { gatewayResponsesOf, renderGatewayResponse } from './gateway-responses'

const resources = {
  Unauthorized: {
    Type: 'AWS::ApiGateway::GatewayResponse',
    Properties: {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseParameters: {
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
        'gatewayresponse.header.WWW-Authenticate': "'Bearer'",
        'gatewayresponse.header.X-Mapped': 'method.request.header.x',
      },
      ResponseTemplates: { 'application/json': '{"title":"Unauthorized","instance":"$context.path"}' },
    },
  },
  Default4xx: {
    Type: 'AWS::ApiGateway::GatewayResponse',
    Properties: {
      ResponseType: 'DEFAULT_4XX',
      ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/problem+json'" },
      ResponseTemplates: {
        'application/json': '{"title":$context.error.messageString,"id":"${context.requestId}"}',
      },
    },
  },
  Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
}

describe('gateway responses', () => {
  const responses = gatewayResponsesOf(resources)
  const context = { path: '/todos', requestId: 'r-1' }

  it('renders a declared type with its status, static headers and $context variables', () => {
    expect(renderGatewayResponse(responses, 'UNAUTHORIZED', context)).toEqual({
      status: 401,
      headers: { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer' },
      body: '{"title":"Unauthorized","instance":"/todos"}',
    })
  })

  it('falls back to DEFAULT_4XX with the type’s own status and a JSON-quoted message', () => {
    const rendered = renderGatewayResponse(responses, 'MISSING_AUTHENTICATION_TOKEN', context)
    expect(rendered.status).toBe(403)
    expect(JSON.parse(rendered.body)).toEqual({ title: 'Missing Authentication Token', id: 'r-1' })
  })

  it('quotes messages so the body stays JSON', () => {
    const rendered = renderGatewayResponse(responses, 'DEFAULT_4XX', { ...context, message: 'say "hi"' })
    expect(JSON.parse(rendered.body).title).toBe('say "hi"')
  })

  it("uses API Gateway's built-in body when the template declares nothing for the type", () => {
    const rendered = renderGatewayResponse(new Map(), 'DEFAULT_5XX', { ...context, status: 502 })
    expect(rendered).toEqual({
      status: 502,
      headers: { 'content-type': 'application/json' },
      body: '{"message":"Internal server error"}',
    })
  })
})
