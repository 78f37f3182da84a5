// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS templates
/**
 * The evaluator against CloudFormation's documented semantics: the examples are those of the
 * intrinsic function reference pages (Fn::Sub, Fn::Join, Fn::Select, Fn::If/condition functions,
 * Fn::GetAtt, pseudo parameters), with their documented results.
 */
import { describe, expect, it } from 'vitest'
import {
  conditionHolds,
  evaluate,
  type IntrinsicContext,
  isCreated,
  resolveIntrinsics,
  UnresolvableError,
} from './intrinsics'

const context: IntrinsicContext = {
  region: 'us-east-1',
  accountId: '123456789012',
  stackName: 'teststack',
  stackId:
    'arn:aws:cloudformation:us-east-1:123456789012:stack/teststack/51af3dc0-da77-11e4-872e-1234567db123',
  parameters: { EnvType: 'prod', RootDomainName: 'example.com', AttributeName: 'PublicIp' },
  refs: { MyVPC: 'vpc-0123abcd', MyBucket: 'my-bucket', NewSecurityGroup: 'sg-new', DBSnapshotName: 'snap' },
  attributes: {
    MyInstance: { PublicIp: '192.0.2.0', PrivateIp: '10.0.0.1' },
    MyDB: { 'Endpoint.Address': 'mydb.abc.us-east-1.rds.amazonaws.com' },
  },
  conditions: {
    IsProduction: { 'Fn::Equals': [{ Ref: 'EnvType' }, 'prod'] },
    IsDev: { 'Fn::Equals': ['dev', { Ref: 'EnvType' }] },
    CreateNewSecurityGroup: { 'Fn::Or': [{ Condition: 'IsDev' }, { Condition: 'IsProduction' }] },
    UseDBSnapshot: { 'Fn::Not': [{ Condition: 'IsProduction' }] },
    ProdAndDev: { 'Fn::And': [{ Condition: 'IsProduction' }, { Condition: 'IsDev' }] },
    ProdAndVpc: {
      'Fn::And': [{ Condition: 'IsProduction' }, { 'Fn::Equals': [{ Ref: 'MyVPC' }, 'vpc-0123abcd'] }],
    },
  },
}
const run = (value: unknown) => resolveIntrinsics(value, context)

describe('Ref', () => {
  it('returns the pseudo parameters, AWS::NoValue removing what it stands for', () => {
    expect(run({ Ref: 'AWS::Region' })).toBe('us-east-1')
    expect(run({ Ref: 'AWS::AccountId' })).toBe('123456789012')
    expect(run({ Ref: 'AWS::Partition' })).toBe('aws')
    expect(run({ Ref: 'AWS::URLSuffix' })).toBe('amazonaws.com')
    expect(run({ Ref: 'AWS::StackName' })).toBe('teststack')
    expect(run({ Ref: 'AWS::StackId' })).toBe(context.stackId)
    expect(run({ Ref: 'AWS::NotificationARNs' })).toEqual([])
    expect(run({ Keep: 1, Drop: { Ref: 'AWS::NoValue' }, List: ['a', { Ref: 'AWS::NoValue' }] })).toEqual({
      Keep: 1,
      List: ['a'],
    })
    expect(resolveIntrinsics({ Ref: 'AWS::StackId' }, { region: 'r', accountId: '1', stackName: 's' })).toBe(
      'arn:aws:cloudformation:r:1:stack/s/local',
    )
  })

  it('returns parameters (their Default when no value is given) and the resources the context knows', () => {
    expect(run({ Ref: 'EnvType' })).toBe('prod')
    expect(
      resolveIntrinsics({ Ref: 'Size' }, { ...context, parameterDefaults: { Size: { Default: '10' } } }),
    ).toBe('10')
    expect(run({ Ref: 'MyVPC' })).toBe('vpc-0123abcd')
    expect(resolveIntrinsics({ Ref: 'Later' }, { ...context, ref: (id) => `${id}-by-function` })).toBe(
      'Later-by-function',
    )
  })
})

describe('Fn::GetAtt', () => {
  it('reads the list form, the dotted form (attributes may contain dots) and an attribute name from Ref', () => {
    expect(run({ 'Fn::GetAtt': ['MyInstance', 'PublicIp'] })).toBe('192.0.2.0')
    expect(run({ 'Fn::GetAtt': 'MyInstance.PrivateIp' })).toBe('10.0.0.1')
    expect(run({ 'Fn::GetAtt': 'MyDB.Endpoint.Address' })).toBe('mydb.abc.us-east-1.rds.amazonaws.com')
    expect(run({ 'Fn::GetAtt': ['MyDB', 'Endpoint.Address'] })).toBe('mydb.abc.us-east-1.rds.amazonaws.com')
    expect(run({ 'Fn::GetAtt': ['MyInstance', { Ref: 'AttributeName' }] })).toBe('192.0.2.0')
  })
})

describe('Fn::Sub', () => {
  it('substitutes pseudo parameters, resources and attributes without a variable map', () => {
    expect(run({ 'Fn::Sub': 'arn:aws:ec2:${AWS::Region}:${AWS::AccountId}:vpc/${MyVPC}' })).toBe(
      'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123abcd',
    )
    expect(run({ 'Fn::Sub': 'http://${MyInstance.PublicIp}/${RootDomainName}' })).toBe(
      'http://192.0.2.0/example.com',
    )
  })

  it('takes variables from the map first (values may be intrinsics), and keeps ${!Literal} as text', () => {
    expect(
      run({
        'Fn::Sub': ['www.${Domain}/${MyVPC}', { Domain: { Ref: 'RootDomainName' }, MyVPC: 'shadowed' }],
      }),
    ).toBe('www.example.com/shadowed')
    expect(run({ 'Fn::Sub': ['${!Literal}-${AWS::Region}', {}] })).toBe('${Literal}-us-east-1')
  })
})

describe('Fn::Join, Fn::Select, Fn::Split', () => {
  it('joins lists, including lists that are themselves intrinsics', () => {
    expect(run({ 'Fn::Join': [':', ['a', 'b', 'c']] })).toBe('a:b:c')
    expect(
      run({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':s3:::elasticbeanstalk-*-', { Ref: 'AWS::AccountId' }],
        ],
      }),
    ).toBe('arn:aws:s3:::elasticbeanstalk-*-123456789012')
    expect(run({ 'Fn::Join': ['+', { 'Fn::Split': [',', 'x,y'] }] })).toBe('x+y')
  })

  it('selects by index (a string index included) and refuses an index out of range', () => {
    expect(run({ 'Fn::Select': ['1', ['apples', 'grapes', 'oranges', 'mangoes']] })).toBe('grapes')
    expect(run({ 'Fn::Select': [2, { 'Fn::Split': ['|', 'a|b|c'] }] })).toBe('c')
    expect(() => run({ 'Fn::Select': [1, ['a']] })).toThrow('out of range')
    expect(() => run({ 'Fn::Select': [-1, ['a']] })).toThrow('out of range')
  })
})

describe('Fn::If and the condition functions', () => {
  it('picks the branch of the template’s condition (Equals, And, Or, Not, Condition)', () => {
    expect(run({ 'Fn::If': ['IsProduction', 'big', 'small'] })).toBe('big')
    expect(run({ 'Fn::If': ['IsDev', 'big', 'small'] })).toBe('small')
    expect(run({ 'Fn::If': ['CreateNewSecurityGroup', { Ref: 'NewSecurityGroup' }, 'sg-old'] })).toBe(
      'sg-new',
    )
    expect(run({ 'Fn::If': ['ProdAndVpc', 'yes', 'no'] })).toBe('yes')
    expect(run({ 'Fn::If': ['ProdAndDev', 'yes', 'no'] })).toBe('no')
    expect(
      run({
        DBSnapshotIdentifier: {
          'Fn::If': ['UseDBSnapshot', { Ref: 'DBSnapshotName' }, { Ref: 'AWS::NoValue' }],
        },
      }),
    ).toEqual({})
  })

  it('tells whether a condition holds', () => {
    expect(conditionHolds('IsProduction', context)).toBe(true)
    expect(conditionHolds('UseDBSnapshot', context)).toBe(false)
  })

  it('tells whether a resource is created: no Condition, or one that holds', () => {
    expect(isCreated({}, context)).toBe(true)
    expect(isCreated({ Condition: 'IsProduction' }, context)).toBe(true)
    expect(isCreated({ Condition: 'UseDBSnapshot' }, context)).toBe(false)
    expect(() => isCreated({ Condition: 'Ghost' }, context)).toThrow('Condition Ghost: not declared')
  })

  it('evaluates only the branch taken', () => {
    expect(run({ 'Fn::If': ['IsProduction', 'ok', { Ref: 'NotHere' }] })).toBe('ok')
  })

  it('refuses a condition the template does not declare, or any without Conditions', () => {
    expect(() => run({ 'Fn::If': ['Ghost', 'a', 'b'] })).toThrow('Condition Ghost: not declared')
    expect(() =>
      resolveIntrinsics({ 'Fn::If': ['IsProd', 'a', 'b'] }, { region: 'r', accountId: '1', stackName: 's' }),
    ).toThrow(UnresolvableError)
  })
})

describe('what cannot be resolved', () => {
  it('is an UnresolvableError in strict mode, naming the reference', () => {
    expect(() => run({ Ref: 'Distribution' })).toThrow('Ref Distribution: no local resource')
    expect(() => run({ 'Fn::GetAtt': ['Distribution', 'DomainName'] })).toThrow(
      'Fn::GetAtt Distribution.DomainName',
    )
    expect(() => run({ 'Fn::ImportValue': 'x' })).toThrow(UnresolvableError)
    expect(() => run({ 'Fn::Sub': 'x-${Ghost}' })).toThrow(UnresolvableError)
  })

  it('is the caller’s marker in marker mode, in place of the one node, evaluation going on around it', () => {
    const marker = (error: UnresolvableError) =>
      `MARK(${error.intrinsic}:${error.logicalId ?? ''}${error.attribute ? `.${error.attribute}` : ''})`
    expect(
      evaluate(
        {
          a: { 'Fn::Join': ['/', [{ Ref: 'MyBucket' }, { Ref: 'Ghost' }]] },
          b: { 'Fn::Sub': '${Ghost.Arn}-${AWS::Region}' },
          c: { 'Fn::ImportValue': 'shared' },
        },
        context,
        { marker },
      ),
    ).toEqual({
      a: 'my-bucket/MARK(Ref:Ghost)',
      b: 'MARK(Fn::GetAtt:Ghost.Arn)-us-east-1',
      c: 'MARK(Fn::ImportValue:)',
    })
  })

  it('is never marked when it decides a condition', () => {
    expect(() =>
      evaluate(
        { 'Fn::If': ['Unknowable', 'a', 'b'] },
        { ...context, conditions: { Unknowable: { 'Fn::Equals': [{ Ref: 'Ghost' }, 'x'] } } },
        { marker: () => 'x' },
      ),
    ).toThrow('Ref Ghost')
  })
})
