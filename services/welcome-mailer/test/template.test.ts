/**
 * The packaged CloudFormation of welcome-mailer (dev stage, packaged offline by template-policy with
 * compose params stubbed from blog-site's template): what the issue requires of the stream wiring,
 * its failure handling, and the function's permissions.
 */
import { PUBLISHED_FEED } from '@app/domain/posts'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadTemplate } from '../../../packages/template-policy/src/templates'

type Resource = { Type: string; Properties: Record<string, unknown> }
type Statement = { Effect: string; Action: string | string[]; Resource: unknown }

let resources: Record<string, Resource>
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type)

beforeAll(async () => {
  resources = (await loadTemplate('welcome-mailer', 'dev')).Resources as Record<string, Resource>
}, 600_000)

/** The event source mapping that invokes `functionId` (its logical id). */
const mappingOf = (functionId: string) => {
  const found = ofType('AWS::Lambda::EventSourceMapping').filter(([, r]) =>
    JSON.stringify(r.Properties.FunctionName).includes(`"${functionId}"`),
  )
  expect(found, functionId).toHaveLength(1)
  return found[0] as [string, Resource]
}
/** Every statement of a function's own role. */
const statementsOf = (roleId: string) =>
  (
    (resources[roleId] as Resource).Properties as unknown as {
      Policies: { PolicyDocument: { Statement: Statement[] } }[]
    }
  ).Policies.flatMap((policy) => policy.PolicyDocument.Statement)

describe('welcome-mailer template', () => {
  it('maps the subscribers stream with the INSERT/MODIFY filter, partial batch responses, bisect and bounded retries', () => {
    const [, mapping] = mappingOf('SendWelcomeLambdaFunction')
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: expect.stringMatching(/:table\/blog-site-dev-subscribers\/stream\//),
      StartingPosition: 'LATEST',
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT', 'MODIFY'] }) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['SendWelcomeFailureQueue', 'Arn'] } } },
    })
  })

  it('maps the posts stream to sendNewsletter with the transition-to-published filter, one post per batch', () => {
    const [, mapping] = mappingOf('SendNewsletterLambdaFunction')
    const published = { feed: { S: [PUBLISHED_FEED] } }
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: expect.stringMatching(/:table\/blog-site-dev-posts\/stream\//),
      StartingPosition: 'LATEST',
      BatchSize: 1,
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: published } }) },
          {
            Pattern: JSON.stringify({
              eventName: ['MODIFY'],
              dynamodb: {
                NewImage: published,
                OldImage: { feed: { S: [{ 'anything-but': [PUBLISHED_FEED] }] } },
              },
            }),
          },
          {
            Pattern: JSON.stringify({
              eventName: ['MODIFY'],
              dynamodb: { NewImage: published, OldImage: { feed: { S: [{ exists: false }] } } },
            }),
          },
        ],
      },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': ['SendNewsletterFailureQueue', 'Arn'] } },
      },
    })
    expect(resources.SendNewsletterLambdaFunction?.Properties).toMatchObject({
      Timeout: 900,
      ReservedConcurrentExecutions: 1,
    })
  })

  it('gives sendNewsletter its own role: Query on the status index only, the ledger, SES as the identity', () => {
    const fn = resources.SendNewsletterLambdaFunction?.Properties
    expect(fn?.Role).toEqual({ 'Fn::GetAtt': ['SendNewsletterIamRoleLambdaExecution', 'Arn'] })
    const statements = statementsOf('SendNewsletterIamRoleLambdaExecution')
    const actions = [...new Set(statements.flatMap((s) => [s.Action].flat()))].sort()
    expect(actions).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'ses:SendEmail',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    )
    const resourcesOf = (action: string) =>
      statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat())
    expect(resourcesOf('dynamodb:Query')).toHaveLength(1)
    expect(JSON.stringify(resourcesOf('dynamodb:Query'))).toMatch(
      /blog-site-dev-subscribers\/index\/byStatus"/,
    )
    for (const resource of resourcesOf('dynamodb:GetRecords'))
      expect(resource).toMatch(/:table\/blog-site-dev-posts\/stream\//)
    expect(resourcesOf('dynamodb:UpdateItem')).toEqual([{ 'Fn::GetAtt': ['SentLedgerTable', 'Arn'] }])
    expect(resourcesOf('sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': ['SendNewsletterFailureQueue', 'Arn'] }])
    expect(resourcesOf('ses:SendEmail')).toEqual(
      statementsOf('SendWelcomeIamRoleLambdaExecution')
        .filter((s) => [s.Action].flat().includes('ses:SendEmail'))
        .flatMap((s) => [s.Resource].flat()),
    )
  })

  it.each(['SendWelcomeFailureQueue', 'SendNewsletterFailureQueue'])(
    'sends failures to an encrypted, TLS-only queue watched by an alarm (%s)',
    (queue) => {
      expect(resources[queue]?.Properties).toMatchObject({ SqsManagedSseEnabled: true })
      const [, policy] = ofType('AWS::SQS::QueuePolicy').find(
        ([, r]) => JSON.stringify(r.Properties.Queues) === JSON.stringify([{ Ref: queue }]),
      ) as [string, Resource]
      expect(policy.Properties.PolicyDocument).toMatchObject({
        Statement: [{ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      })
      // serverless-ops adds its own alarms (errors, throttles, duration, iterator age, this queue's depth):
      // every alarm on the failure queue's depth must notify the service's topic.
      const depth = ofType('AWS::CloudWatch::Alarm').filter(
        ([, alarm]) =>
          alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(alarm.Properties.Dimensions).includes(`"${queue}"`),
      )
      expect(depth.length).toBeGreaterThan(0)
      for (const [, alarm] of depth)
        expect(alarm.Properties).toMatchObject({
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          AlarmActions: [{ Ref: 'OpsAlarmTopic' }],
        })
    },
  )

  it('gives sendWelcome its own role with only the actions it needs, none wildcarded', () => {
    const fn = resources.SendWelcomeLambdaFunction?.Properties
    expect(fn?.Role).toEqual({ 'Fn::GetAtt': ['SendWelcomeIamRoleLambdaExecution', 'Arn'] })
    const statements = statementsOf('SendWelcomeIamRoleLambdaExecution')
    const actions = statements.flatMap((s) => [s.Action].flat()).sort()
    expect(actions.filter((action) => action.includes('*'))).toEqual([])
    expect([...new Set(actions)]).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'dynamodb:UpdateItem',
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'ses:SendEmail',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    )
    const resourcesOf = (action: string) =>
      statements.filter((s) => [s.Action].flat().includes(action)).flatMap((s) => [s.Resource].flat())
    // CloudFormation `Fn::Sub` placeholders, not JavaScript ones.
    const sesArn = (resource: string) => ({
      'Fn::Sub': `arn:$\{AWS::Partition}:ses:$\{AWS::Region}:$\{AWS::AccountId}:${resource}`,
    })
    expect(resourcesOf('ses:SendEmail')).toEqual([
      sesArn('identity/example.com'),
      sesArn('configuration-set/welcome-mailer-dev'),
    ])
    for (const resource of resourcesOf('dynamodb:GetRecords'))
      expect(resource).toMatch(/:table\/blog-site-dev-subscribers\/stream\//)
    expect(resourcesOf('dynamodb:UpdateItem')).toEqual([{ 'Fn::GetAtt': ['SentLedgerTable', 'Arn'] }])
    expect(resourcesOf('sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': ['SendWelcomeFailureQueue', 'Arn'] }])
  })

  it('keeps the ledger encrypted with point-in-time recovery', () => {
    expect(resources.SentLedgerTable?.Properties).toMatchObject({
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      KeySchema: [{ AttributeName: 'messageKey', KeyType: 'HASH' }],
    })
  })

  it('gives the two senders the links key, resolved from Secrets Manager at deploy, never as a plain value', () => {
    const functions = ofType('AWS::Lambda::Function')
    expect(functions.map(([name]) => name).sort()).toEqual([
      'SendNewsletterLambdaFunction',
      'SendWelcomeLambdaFunction',
    ])
    for (const [, fn] of functions) {
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
      expect(JSON.stringify(env.SUBSCRIPTION_TOKEN_SECRET)).toMatch(
        /\{\{resolve:secretsmanager:.*:SecretString\}\}/,
      )
    }
  })

  it('alarms on every message whose outcome is unknown (UncertainSends), to the ops topic', () => {
    expect(resources.UncertainSendsAlarm?.Properties).toMatchObject({
      Namespace: 'serverless-classics',
      MetricName: 'UncertainSends',
      Dimensions: [
        { Name: 'service', Value: 'welcome-mailer' },
        { Name: 'stage', Value: 'dev' },
      ],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: [{ Ref: 'OpsAlarmTopic' }],
    })
  })
})
