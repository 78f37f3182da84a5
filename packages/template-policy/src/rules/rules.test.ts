import { describe, expect, it } from 'vitest'
import type { CfnTemplate } from '../template'
import {
  apiStagesThrottled,
  bucketsPrivateEncryptedTlsOnly,
  cloudFrontOacHttps,
  cloudFrontViewerTls12,
  consumersHaveFailureDestinations,
  liveAliasWiring,
  logGroupsHaveRetention,
  noWildcardActions,
  oneRolePerFunction,
  queuesEncryptedWithDlq,
  starResourceOnlyWhereRequired,
  tablesRecoverableEncrypted,
  tracingOn,
} from './index'

// Each rule is shown a minimal compliant template and the smallest change that breaks it.
const role = (statements: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: statements } }] },
})
const fn = (roleId: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] }, TracingConfig: { Mode: 'Active' }, ...extra },
})
const t = (resources: Record<string, unknown>) => ({ Resources: resources }) as CfnTemplate

describe('IAM rules', () => {
  it('one role per function', () => {
    const ok = t({
      ARole: role([]),
      BRole: role([]),
      ALambdaFunction: fn('ARole'),
      BLambdaFunction: fn('BRole'),
    })
    expect(oneRolePerFunction(ok)).toEqual([])
    const shared = t({ ARole: role([]), ALambdaFunction: fn('ARole'), BLambdaFunction: fn('ARole') })
    expect(oneRolePerFunction(shared)).toEqual(['ARole: shared by ALambdaFunction, BLambdaFunction'])
  })

  it('no wildcard actions, no NotAction', () => {
    const ok = t({ R: role([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/k' }]) })
    expect(noWildcardActions(ok)).toEqual([])
    const bad = t({
      R: role([
        { Effect: 'Allow', Action: ['s3:Get*'], Resource: 'arn:aws:s3:::b/k' },
        { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: '*', Resource: '*' },
      ]),
    })
    expect(noWildcardActions(bad)).toEqual([
      'R/p: wildcard action "s3:Get*"',
      'R/p: Allow with NotAction grants everything else',
    ])
  })

  it('Resource "*" only for actions without resource-level permissions', () => {
    const ok = t({ R: role([{ Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' }]) })
    expect(starResourceOnlyWhereRequired(ok)).toEqual([])
    const bad = t({ R: role([{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: ['*'] }]) })
    expect(starResourceOnlyWhereRequired(bad)).toEqual([
      'R/p: dynamodb:GetItem on Resource "*" (AWS supports resource-level permissions for it)',
    ])
  })
})

describe('storage rules', () => {
  const bucket = {
    Type: 'AWS::S3::Bucket',
    Properties: {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    },
  }
  const tlsOnly = {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: 'B' },
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': false } },
          },
        ],
      },
    },
  }

  it('buckets: BPA, encryption, TLS-only policy', () => {
    expect(bucketsPrivateEncryptedTlsOnly(t({ B: bucket, P: tlsOnly }))).toEqual([])
    expect(bucketsPrivateEncryptedTlsOnly(t({ B: { Type: 'AWS::S3::Bucket', Properties: {} } }))).toEqual([
      'B: Block Public Access missing BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets',
      'B: no default encryption',
      'B: no bucket policy denying aws:SecureTransport=false',
    ])
  })

  it('tables and global table replicas: PITR and SSE', () => {
    const table = (p: Record<string, unknown>) => t({ T: { Type: 'AWS::DynamoDB::Table', Properties: p } })
    const on = {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    }
    expect(tablesRecoverableEncrypted(table(on))).toEqual([])
    expect(tablesRecoverableEncrypted(table({}))).toEqual([
      'T: point-in-time recovery off',
      'T: SSESpecification.SSEEnabled not true',
    ])
    const global = t({
      G: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: {
          SSESpecification: { SSEEnabled: true },
          Replicas: [
            { Region: 'us-east-1', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
            { Region: 'eu-west-1' },
          ],
        },
      },
    })
    expect(tablesRecoverableEncrypted(global)).toEqual(['G: replica "eu-west-1" without PITR'])
  })
})

describe('async plumbing rules', () => {
  it('queues are encrypted and have a DLQ, the DLQ itself excepted', () => {
    const ok = t({
      Q: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          SqsManagedSseEnabled: true,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['D', 'Arn'] }, maxReceiveCount: 3 },
        },
      },
      D: { Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } },
    })
    expect(queuesEncryptedWithDlq(ok)).toEqual([])
    expect(queuesEncryptedWithDlq(t({ Q: { Type: 'AWS::SQS::Queue', Properties: {} } }))).toEqual([
      'Q: not encrypted',
      'Q: no dead-letter queue (RedrivePolicy)',
    ])
  })

  it('stream mappings need an on-failure destination, bounded retries and partial batch responses', () => {
    const mapping = (p: Record<string, unknown>) =>
      t({
        M: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { EventSourceArn: 'arn:aws:dynamodb:r:1:table/x/stream/y', ...p },
        },
      })
    expect(
      consumersHaveFailureDestinations(
        mapping({
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          MaximumRetryAttempts: 5,
          DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:r:1:dlq' } },
        }),
      ),
    ).toEqual([])
    expect(consumersHaveFailureDestinations(mapping({}))).toEqual([
      'M: no ReportBatchItemFailures',
      'M: stream without on-failure destination',
      'M: unbounded retries (MaximumRetryAttempts)',
    ])
  })

  it('async targets need an on-failure destination for the qualifier that is invoked', () => {
    const base = {
      FRole: role([]),
      FLambdaFunction: fn('FRole'),
      Live: {
        Type: 'AWS::Lambda::Alias',
        Properties: { FunctionName: { Ref: 'FLambdaFunction' }, Name: 'live' },
      },
      Perm: {
        Type: 'AWS::Lambda::Permission',
        Properties: { Principal: 's3.amazonaws.com', FunctionName: { Ref: 'Live' } },
      },
    }
    const config = (qualifier: string) => ({
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: {
        FunctionName: { Ref: 'FLambdaFunction' },
        Qualifier: qualifier,
        DestinationConfig: { OnFailure: { Destination: 'arn' } },
      },
    })
    expect(consumersHaveFailureDestinations(t({ ...base, C: config('live') }))).toEqual([])
    expect(consumersHaveFailureDestinations(t({ ...base, C: config('$LATEST') }))).toEqual([
      'FLambdaFunction: invoked asynchronously (Perm) as live without on-failure destination or DLQ',
    ])
  })
})

describe('operations rules', () => {
  it('log groups have retention and every function has its own', () => {
    const ok = t({
      FRole: role([]),
      FLambdaFunction: fn('FRole'),
      FLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 14 } },
    })
    expect(logGroupsHaveRetention(ok)).toEqual([])
    expect(
      logGroupsHaveRetention(
        t({
          FRole: role([]),
          FLambdaFunction: fn('FRole'),
          X: { Type: 'AWS::Logs::LogGroup', Properties: {} },
        }),
      ),
    ).toEqual([
      'X: no RetentionInDays',
      'FLambdaFunction: its log group is not declared in the stack (Lambda would create one that never expires)',
    ])
  })

  it('tracing on for functions, state machines and REST stages', () => {
    const bad = t({
      FRole: role([]),
      FLambdaFunction: fn('FRole', { TracingConfig: { Mode: 'PassThrough' } }),
      SM: { Type: 'AWS::StepFunctions::StateMachine', Properties: {} },
      S: { Type: 'AWS::ApiGateway::Stage', Properties: { TracingEnabled: false } },
    })
    expect(tracingOn(bad)).toEqual([
      'FLambdaFunction: X-Ray tracing not Active',
      'SM: X-Ray tracing not enabled',
      'S: API Gateway stage without X-Ray tracing',
    ])
  })

  it("an actively traced function's role may send segments (Lambda refuses the deploy otherwise)", () => {
    const xray = {
      Effect: 'Allow',
      Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
      Resource: '*',
    }
    expect(tracingOn(t({ FRole: role([xray]), FLambdaFunction: fn('FRole') }))).toEqual([])
    expect(tracingOn(t({ FRole: role([]), FLambdaFunction: fn('FRole') }))).toEqual([
      'FLambdaFunction: Active tracing but its role may not call xray:PutTraceSegments',
    ])
  })

  it('API stages are throttled', () => {
    const api = { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} } }
    const stage = (settings: unknown[]) => ({
      Type: 'AWS::ApiGateway::Stage',
      Properties: { MethodSettings: settings },
    })
    const throttled = [
      { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    ]
    expect(apiStagesThrottled(t({ ...api, S: stage(throttled) }))).toEqual([])
    expect(apiStagesThrottled(t({ ...api, S: stage([]) }))).toEqual([
      'Api: no stage-level throttling (MethodSettings /*/*)',
    ])
  })
})

describe('CloudFront rule', () => {
  const distribution = (config: Record<string, unknown>) =>
    t({ D: { Type: 'AWS::CloudFront::Distribution', Properties: { DistributionConfig: config } } })
  const good = {
    Origins: [
      {
        Id: 'site',
        DomainName: 'b.s3.us-east-1.amazonaws.com',
        S3OriginConfig: { OriginAccessIdentity: '' },
        OriginAccessControlId: { Ref: 'Oac' },
      },
      {
        Id: 'api',
        DomainName: 'x.execute-api',
        CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
      },
    ],
    DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https' },
    CacheBehaviors: [{ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only' }],
    ViewerCertificate: {
      AcmCertificateArn: 'arn',
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    },
  }

  it('accepts OAC, HTTPS-only viewers and origins, TLS 1.2+', () => {
    expect(cloudFrontOacHttps(distribution(good))).toEqual([])
    expect(cloudFrontViewerTls12(distribution(good))).toEqual([])
  })

  it('rejects OAI, plain HTTP and the default certificate’s TLSv1 floor', () => {
    const bad = distribution({
      ...good,
      Origins: [
        {
          Id: 'site',
          DomainName: 'b.s3.amazonaws.com',
          S3OriginConfig: { OriginAccessIdentity: 'origin-access-identity/cloudfront/X' },
        },
      ],
      CacheBehaviors: [{ PathPattern: '/api/*', ViewerProtocolPolicy: 'allow-all' }],
      ViewerCertificate: { CloudFrontDefaultCertificate: true },
    })
    expect(cloudFrontOacHttps(bad)).toEqual([
      'D: S3 origin site without OAC',
      'D: S3 origin site uses an OAI',
      'D: behavior /api/* allows plain HTTP',
    ])
    expect(cloudFrontViewerTls12(bad)).toEqual([
      'D: viewer TLS minimum undefined (needs a certificate with TLSv1.2_2021+)',
    ])
  })
})

describe('production rule', () => {
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

  it('accepts invokers on the live alias of a published version', () => {
    expect(liveAliasWiring(t({ ...base, P: permission({ Ref: 'FLiveAlias' }) }))).toEqual([])
  })

  it('flags a function without alias and an invoker on the function itself', () => {
    const { FLiveAlias: _, ...noAlias } = base
    expect(
      liveAliasWiring(t({ ...noAlias, P: permission({ 'Fn::GetAtt': ['FLambdaFunction', 'Arn'] }) })),
    ).toEqual([
      'FLambdaFunction: no live alias',
      'P: invokes FLambdaFunction directly instead of its live alias',
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
    expect(liveAliasWiring(t({ ...base, M: machine({ Ref: 'FLiveAlias' }) }))).toEqual([])
    expect(liveAliasWiring(t({ ...base, M: machine({ 'Fn::GetAtt': ['FLambdaFunction', 'Arn'] }) }))).toEqual(
      ['M: invokes FLambdaFunction directly instead of its live alias'],
    )
  })
})
