import { describe, expect, it } from 'vitest'
import { apigatewayStageThrottling } from './apigateway-stage-throttling'
import { t } from './fixtures'

const api = { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} } }
const throttled = [
  { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
]

describe('apigateway-stage-throttling', () => {
  it('accepts /*/* throttling on a Stage or in a Deployment StageDescription', () => {
    const stage = { Type: 'AWS::ApiGateway::Stage', Properties: { MethodSettings: throttled } }
    expect(apigatewayStageThrottling.check(t({ ...api, S: stage }))).toEqual([])
    const deployment = {
      Type: 'AWS::ApiGateway::Deployment',
      Properties: { StageDescription: { MethodSettings: throttled } },
    }
    expect(apigatewayStageThrottling.check(t({ ...api, D: deployment }))).toEqual([])
  })

  it('flags a REST API without stage throttling and an HTTP API stage without route settings', () => {
    const stage = { Type: 'AWS::ApiGateway::Stage', Properties: { MethodSettings: [] } }
    const http = { Type: 'AWS::ApiGatewayV2::Stage', Properties: {} }
    expect(apigatewayStageThrottling.check(t({ ...api, S: stage, H: http }))).toEqual([
      { resource: 'Api', message: 'no stage-level throttling (MethodSettings /*/*)' },
      { resource: 'H', message: 'HTTP API stage without DefaultRouteSettings throttling' },
    ])
  })
})
