import { describe, expect, it } from 'vitest'
import { cloudwatchAlarmTopicUsable } from './cloudwatch-alarm-topic-usable'
import { t } from './fixtures'

const alarm = (topic: string) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: { AlarmActions: [{ Ref: topic }], OKActions: [{ Ref: topic }] },
})
const topic = (KmsMasterKeyId?: unknown) => ({
  Type: 'AWS::SNS::Topic',
  Properties: KmsMasterKeyId === undefined ? {} : { KmsMasterKeyId },
})
const key = (actions: string[]) => ({
  Type: 'AWS::KMS::Key',
  Properties: {
    KeyPolicy: {
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'kms:*', Resource: '*' },
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: actions,
          Resource: '*',
        },
      ],
    },
  },
})

describe('cloudwatch-alarm-topic-usable', () => {
  it('accepts a topic under a key that admits CloudWatch, an unencrypted topic, and an external ARN', () => {
    const template = t({
      Key: key(['kms:Decrypt', 'kms:GenerateDataKey*']),
      Topic: topic({ Ref: 'Key' }),
      Plain: topic(),
      A: alarm('Topic'),
      B: alarm('Plain'),
      C: { Type: 'AWS::CloudWatch::Alarm', Properties: { AlarmActions: ['arn:aws:sns:us-east-1:1:ops'] } },
    })
    expect(cloudwatchAlarmTopicUsable.check(template)).toEqual([])
  })

  it('flags an alarm on a topic under alias/aws/sns (welcome-mailer before)', () => {
    expect(cloudwatchAlarmTopicUsable.check(t({ Topic: topic('alias/aws/sns'), A: alarm('Topic') }))).toEqual(
      [
        {
          resource: 'A',
          message:
            'notifies Topic, which is encrypted with the AWS managed key alias/aws/sns: CloudWatch cannot publish to it',
        },
      ],
    )
  })

  it('flags a customer managed key whose policy does not let CloudWatch generate data keys', () => {
    const template = t({
      Key: key(['kms:Decrypt']),
      Topic: topic({ 'Fn::GetAtt': ['Key', 'Arn'] }),
      A: alarm('Topic'),
    })
    expect(cloudwatchAlarmTopicUsable.check(template)).toEqual([
      {
        resource: 'A',
        message:
          'notifies Topic, which is encrypted with Key, whose key policy does not let cloudwatch.amazonaws.com kms:GenerateDataKey: CloudWatch cannot publish to it',
      },
    ])
  })
})
