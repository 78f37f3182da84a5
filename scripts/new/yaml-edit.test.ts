// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are Serverless Framework variables, resolved by osls
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { factsOf, planFunction } from './shape'
import { addToMap, addToSeq } from './yaml-edit'

const SERVICE = `# a comment that must stay
service: demo

custom:
  shape:
    plugins: [serverless-esbuild-extra]
  names:
    things: \${self:service}-\${sls:stage}-things # trailing comment

functions:
  first:
    handler: src/functions/first/handler.handler
    events:
      - http: { path: "things/{id}", method: get, authorizer: "\${self:custom.authorizer}" }

  # about second
  second:
    handler: src/functions/second/handler.handler

resources:
  Resources: {}
`

describe('addToMap', () => {
  it('adds after the last entry, keeping every other byte of the file', () => {
    const out = addToMap(SERVICE, ['functions'], { third: { handler: 'h' } }, { spaced: true })
    expect(out.startsWith(SERVICE.slice(0, SERVICE.indexOf('\nresources:')).trimEnd())).toBe(true)
    expect(out).toContain(
      '    handler: src/functions/second/handler.handler\n\n  third:\n    handler: h\n\nresources:',
    )
    expect(out.endsWith('resources:\n  Resources: {}\n')).toBe(true)
  })

  it('turns an empty flow map into a block one, intrinsics in flow style, a blank line between entries', () => {
    const out = addToMap(
      SERVICE,
      ['resources', 'Resources'],
      {
        Queue: { Type: 'AWS::SQS::Queue' },
        Policy: { Properties: { Queues: [{ Ref: 'Queue' }], Version: '2012-10-17' } },
      },
      { spaced: true },
    )
    expect(out.slice(out.indexOf('resources:'))).toBe(
      'resources:\n  Resources:\n    Queue:\n      Type: AWS::SQS::Queue\n\n    Policy:\n      Properties:\n' +
        '        Queues:\n          - {Ref: Queue}\n        Version: "2012-10-17"\n',
    )
    // YAML 1.1 (osls' reader) would take an unquoted 2012-10-17 for a date.
    expect(parse(out, { version: '1.1' }).resources.Resources.Policy.Properties.Version).toBe('2012-10-17')
  })

  it('creates a missing map under its parent', () => {
    const out = addToMap(SERVICE, ['custom', 'serverless-offline'], { httpPort: 3004 })
    expect(parse(out).custom['serverless-offline']).toEqual({ httpPort: 3004 })
    expect(parse(out).custom.names.things).toBe('${self:service}-${sls:stage}-things')
  })

  it('refuses to replace an entry that exists', () => {
    expect(() => addToMap(SERVICE, ['functions'], { first: {} })).toThrow('functions.first exists already')
  })
})

describe('addToSeq', () => {
  it('appends to a flow list in place', () => {
    expect(
      parse(addToSeq(SERVICE, ['custom', 'shape', 'plugins'], ['serverless-offline'])).custom.shape.plugins,
    ).toEqual(['serverless-esbuild-extra', 'serverless-offline'])
  })

  it('creates a missing list', () => {
    expect(parse(addToSeq(SERVICE, ['custom', 'other'], ['a'])).custom.other).toEqual(['a'])
  })
})

describe('planFunction', () => {
  const facts = factsOf('demo', SERVICE)

  it('reads the facts the entries depend on', () => {
    expect(facts).toMatchObject({
      functions: ['first', 'second'],
      authorizer: false,
      hasOfflinePlugin: false,
      tables: [],
    })
  })

  it('puts HTTP events behind the service authorizer when it has one', () => {
    const withAuthorizer = factsOf(
      'demo',
      `${SERVICE}\n`.replace('custom:\n', 'custom:\n  authorizer: { name: authorizer }\n'),
    )
    const events = (plan: ReturnType<typeof planFunction>) =>
      plan.entry.events as { http: Record<string, string> }[]
    expect(events(planFunction(withAuthorizer, { key: 'make', kind: 'http' }))[0]?.http.authorizer).toBe(
      '${self:custom.authorizer}',
    )
    expect(events(planFunction(facts, { key: 'make', kind: 'http' }))[0]?.http).not.toHaveProperty(
      'authorizer',
    )
  })

  it('validates a JSON body for POST/PUT/PATCH routes and the query string for GET/DELETE', () => {
    const input = (method: 'get' | 'post' | 'put' | 'patch' | 'delete') =>
      planFunction(facts, { key: 'make', kind: 'http', method }).data.hasBody
    expect([input('post'), input('put'), input('patch'), input('get'), input('delete')]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ])
  })

  it('gives an SQS consumer a queue whose dead letters come after a bounded number of receives', () => {
    const plan = planFunction(facts, { key: 'takeOrder', kind: 'sqs' })
    expect(plan.resources).toMatchObject({
      TakeOrderQueue: {
        Properties: {
          RedrivePolicy: {
            deadLetterTargetArn: { 'Fn::GetAtt': ['TakeOrderDeadLetterQueue', 'Arn'] },
            maxReceiveCount: 5,
          },
        },
      },
    })
    expect(plan.entry.events).toEqual([
      {
        sqs: expect.objectContaining({
          arn: { 'Fn::GetAtt': ['TakeOrderQueue', 'Arn'] },
          functionResponseType: 'ReportBatchItemFailures',
        }),
      },
    ])
  })

  it('asks which table a stream consumer reads when the service has none or several', () => {
    expect(() => planFunction(facts, { key: 'onChange', kind: 'stream' })).toThrow(/--table/)
    const plan = planFunction(facts, { key: 'onChange', kind: 'stream', table: 'ThingsTable' })
    expect(plan.resources).toHaveProperty('ThingsTable.Properties.StreamSpecification')
    expect(plan.entry.events).toEqual([
      {
        stream: expect.objectContaining({
          arn: { 'Fn::GetAtt': ['ThingsTable', 'StreamArn'] },
          destinations: {
            onFailure: { arn: { 'Fn::GetAtt': ['OnChangeFailureQueue', 'Arn'] }, type: 'sqs' },
          },
        }),
      },
    ])
  })

  it('adds stage throttling with the first HTTP function only (a service with an API has its own)', () => {
    expect(
      planFunction(factsOf('demo', SERVICE.replace(/ {6}- http: .*\n/, '')), { key: 'make', kind: 'http' })
        .addApiThrottle,
    ).toBe(true)
    expect(planFunction(facts, { key: 'make', kind: 'http' }).addApiThrottle).toBe(false)
  })

  it('refuses queues and tables in a service whose resources live in included files', () => {
    const included = factsOf('demo', SERVICE.replace('  Resources: {}\n', '  - ${file(./resources.yml)}\n'))
    expect(() => planFunction(included, { key: 'take', kind: 'sqs' })).toThrow(/included files/)
    expect(() => planFunction(included, { key: 'take', kind: 'stream', table: 'ThingsTable' })).toThrow(
      /included files/,
    )
    expect(planFunction(included, { key: 'take', kind: 'step' }).resources).toEqual({})
  })

  it('refuses a key the service already has', () => {
    expect(() => planFunction(facts, { key: 'first', kind: 'step' })).toThrow(
      'demo already has a function first',
    )
  })
})
