import { describe, expect, it } from 'vitest'
import { fn, role, t } from './fixtures'
import { prodLiveAlias } from './prod-live-alias'

const base = {
  FRole: role([]),
  FLambdaFunction: fn('FRole'),
  FVersion: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'FLambdaFunction' } } },
  FLiveAlias: {
    Type: 'AWS::Lambda::Alias',
    Properties: {
      FunctionName: { Ref: 'FLambdaFunction' },
      FunctionVersion: { 'Fn::GetAtt': ['FVersion', 'Version'] },
      Name: 'live',
    },
  },
}
const permission = (target: unknown) => ({
  Type: 'AWS::Lambda::Permission',
  Properties: { FunctionName: target, Principal: 'apigateway.amazonaws.com' },
})

describe('prod-live-alias', () => {
  it('applies to production only', () => {
    expect(prodLiveAlias.stages).toEqual(['prod'])
  })

  it('accepts invokers on the live alias of a published version', () => {
    expect(prodLiveAlias.check(t({ ...base, P: permission({ Ref: 'FLiveAlias' }) }))).toEqual([])
  })

  it('flags a function without alias and an invoker on the function itself', () => {
    const { FLiveAlias: _, ...noAlias } = base
    expect(
      prodLiveAlias.check(t({ ...noAlias, P: permission({ 'Fn::GetAtt': ['FLambdaFunction', 'Arn'] }) })),
    ).toEqual([
      { resource: 'FLambdaFunction', message: 'no live alias' },
      { resource: 'P', message: 'invokes FLambdaFunction directly instead of its live alias' },
    ])
  })

  it('flags a state machine whose Lambda task calls the function instead of its alias', () => {
    const machine = (target: unknown) => ({
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: 'arn:aws:iam::123456789012:role/machine',
        DefinitionString: {
          'Fn::Sub': [
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template
            '{"StartAt":"A","States":{"A":{"Type":"Task","Parameters":{"FunctionName":"${fn}"}}}}',
            { fn: target },
          ],
        },
      },
    })
    expect(prodLiveAlias.check(t({ ...base, M: machine({ Ref: 'FLiveAlias' }) }))).toEqual([])
    expect(
      prodLiveAlias.check(t({ ...base, M: machine({ 'Fn::GetAtt': ['FLambdaFunction', 'Arn'] }) })),
    ).toEqual([{ resource: 'M', message: 'invokes FLambdaFunction directly instead of its live alias' }])
  })
})
