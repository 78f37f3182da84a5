import { describe, expect, it } from 'vitest'
import { type IntrinsicContext, resolveIntrinsics, UnresolvableError } from './intrinsics'

const context: IntrinsicContext = {
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: 'blog-site-local',
  refs: { UserPool: 'local_abc', SubscribersTable: 'blog-site-local-subscribers' },
  attributes: {
    UserPool: {
      Arn: 'arn:aws:cognito-idp:local:local:userpool/local_abc',
      ProviderURL: 'http://127.0.0.1:9229/local_abc',
    },
    SubscribersTable: { StreamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/subs/stream/1' },
  },
}

describe('resolveIntrinsics', () => {
  it('evaluates Ref and Fn::GetAtt (list and dotted forms) to the local values', () => {
    expect(resolveIntrinsics({ Ref: 'UserPool' }, context)).toBe('local_abc')
    expect(resolveIntrinsics({ 'Fn::GetAtt': ['SubscribersTable', 'StreamArn'] }, context)).toBe(
      'arn:aws:dynamodb:ddblocal:000000000000:table/subs/stream/1',
    )
    expect(resolveIntrinsics({ 'Fn::GetAtt': 'UserPool.Arn' }, context)).toBe(
      'arn:aws:cognito-idp:local:local:userpool/local_abc',
    )
  })

  it('evaluates pseudo parameters, Fn::Sub (with variables, attributes and escapes) and Fn::Join', () => {
    expect(resolveIntrinsics({ Ref: 'AWS::Region' }, context)).toBe('us-east-1')
    expect(
      resolveIntrinsics(
        {
          'Fn::Sub': [
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation/compose syntax, not a JS template
            '${AWS::StackName}/${Pool}/${UserPool.ProviderURL}/${!Literal}',
            { Pool: { Ref: 'UserPool' } },
          ],
        },
        context,
      ),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation/compose syntax, not a JS template
    ).toBe('blog-site-local/local_abc/http://127.0.0.1:9229/local_abc/${Literal}')
    expect(
      resolveIntrinsics(
        { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': ['UserPool', 'ProviderURL'] }]] },
        context,
      ),
    ).toBe('https://http://127.0.0.1:9229/local_abc')
    expect(resolveIntrinsics({ 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] }, context)).toBe('b')
  })

  it('resolves inside nested objects and lists, leaving plain values alone', () => {
    expect(resolveIntrinsics({ list: [{ Ref: 'UserPool' }, 3, true], plain: 'x' }, context)).toEqual({
      list: ['local_abc', 3, true],
      plain: 'x',
    })
  })

  it('refuses references to resources without a local stand-in and functions it does not evaluate', () => {
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': ['Distribution', 'DomainName'] }, context)).toThrow(
      UnresolvableError,
    )
    expect(() => resolveIntrinsics({ Ref: 'Distribution' }, context)).toThrow(
      'Ref Distribution: no local resource',
    )
    expect(() => resolveIntrinsics({ 'Fn::If': ['IsProd', 'a', 'b'] }, context)).toThrow(UnresolvableError)
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'x' }, context)).toThrow(UnresolvableError)
  })
})
