import { describe, expect, it } from 'vitest'
import { fn, role, t } from './fixtures'
import { lambdaConsumersOnFailure } from './lambda-consumers-on-failure'

describe('lambda-consumers-on-failure', () => {
  it('stream mappings need an on-failure destination, bounded retries and partial batch responses', () => {
    const mapping = (p: Record<string, unknown>) =>
      t({
        M: {
          Type: 'AWS::Lambda::EventSourceMapping',
          Properties: { EventSourceArn: 'arn:aws:dynamodb:r:1:table/x/stream/y', ...p },
        },
      })
    expect(
      lambdaConsumersOnFailure.check(
        mapping({
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          MaximumRetryAttempts: 5,
          DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:r:1:dlq' } },
        }),
      ),
    ).toEqual([])
    expect(lambdaConsumersOnFailure.check(mapping({}))).toEqual([
      { resource: 'M', message: 'no ReportBatchItemFailures' },
      { resource: 'M', message: 'stream without on-failure destination' },
      { resource: 'M', message: 'unbounded retries (MaximumRetryAttempts)' },
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
    expect(lambdaConsumersOnFailure.check(t({ ...base, C: config('live') }))).toEqual([])
    expect(lambdaConsumersOnFailure.check(t({ ...base, C: config('$LATEST') }))).toEqual([
      {
        resource: 'FLambdaFunction',
        message: 'invoked asynchronously (Perm) as live without on-failure destination or DLQ',
      },
    ])
  })
})
