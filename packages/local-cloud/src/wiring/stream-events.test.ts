import { describe, expect, it } from 'vitest'
import { ownTableStreams } from './stream-events'

const printed = {
  service: 'orders',
  functions: {
    onOrderChange: {
      events: [{ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['OrdersTable', 'StreamArn'] } } }],
    },
    // Another service's stream (a compose param, as welcome-mailer's): wired by hand, not here.
    onSubscriber: {
      events: [{ stream: { type: 'dynamodb', arn: 'arn:aws:dynamodb:x:0:table/t/stream/1' } }],
    },
    fulfil: { events: [{ sqs: { arn: { 'Fn::GetAtt': ['OrdersQueue', 'Arn'] } } }] },
    api: { events: [{ http: { path: 'orders', method: 'post' } }] },
  },
  resources: {
    Resources: {
      OrdersTable: { Type: 'AWS::DynamoDB::Table' },
      OrdersQueue: { Type: 'AWS::SQS::Queue' },
    },
  },
}

describe('ownTableStreams', () => {
  it('finds the stream events on the service’s own tables, with the tables’ local stream ARNs', () => {
    expect(ownTableStreams(printed, { OrdersTableStreamArn: 'arn:local:stream' })).toEqual([
      { functionKey: 'onOrderChange', table: 'OrdersTable', streamArn: 'arn:local:stream' },
    ])
  })

  it('names the output it needs when the service does not declare it', () => {
    expect(() => ownTableStreams(printed, {})).toThrow(
      'orders: onOrderChange reads OrdersTable’s stream, but the service has no local OrdersTableStreamArn output',
    )
  })
})
