import { describe, expect, it } from 'vitest'
import { fn, role, t } from './fixtures'
import { tracingOn } from './tracing-on'

const xray = { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' }

describe('tracing-on', () => {
  it('flags functions without Active tracing and REST stages (Stage or Deployment) without tracing', () => {
    const bad = t({
      FRole: role([xray]),
      FLambdaFunction: fn('FRole', { TracingConfig: { Mode: 'PassThrough' } }),
      S: { Type: 'AWS::ApiGateway::Stage', Properties: { TracingEnabled: false } },
      D: { Type: 'AWS::ApiGateway::Deployment', Properties: { StageDescription: {} } },
    })
    expect(tracingOn.check(bad)).toEqual([
      { resource: 'FLambdaFunction', message: 'X-Ray tracing not Active' },
      { resource: 'S', message: 'API Gateway stage without X-Ray tracing' },
      { resource: 'D', message: 'API Gateway stage without X-Ray tracing' },
    ])
  })

  it("an actively traced function's role may send segments (Lambda refuses the deploy otherwise)", () => {
    expect(tracingOn.check(t({ FRole: role([xray]), FLambdaFunction: fn('FRole') }))).toEqual([])
    expect(tracingOn.check(t({ FRole: role([]), FLambdaFunction: fn('FRole') }))).toEqual([
      {
        resource: 'FLambdaFunction',
        message: 'Active tracing but its role may not call xray:PutTraceSegments',
      },
    ])
  })
})
