/**
 * The local blog-photo wiring reads everything from the two resolved templates; here with small
 * hand-made ones shaped like `sls print`'s (the integration test runs the real ones).
 */
import type { PrintedService } from '@app/local-cloud/template/print'
import { describe, expect, it } from 'vitest'
import { uploadsWiring } from '../local'

const topicArn = 'arn:aws:local:us-east-1:000000000000:unavailable-locally/blog-site/PhotoUploadedTopicArn'

const workflows = (autoStart: string, raw = false): PrintedService => ({
  service: 'workflows',
  provider: { name: 'aws', stage: 'local', region: 'us-east-1', environment: { UPLOADS_BUCKET: 'uploads' } },
  functions: {
    startUploadedPhotoJobs: {
      handler: 'h',
      events: [
        {
          sqs: {
            arn: { 'Fn::GetAtt': ['Q', 'Arn'] },
            batchSize: 7,
            functionResponseType: 'ReportBatchItemFailures',
          },
        },
      ],
    },
  },
  resources: [
    { Resources: {} },
    {
      Conditions: { On: { 'Fn::Equals': [autoStart, 'true'] } },
      Resources: {
        Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q', RedrivePolicy: { maxReceiveCount: 4 } } },
        S: {
          Type: 'AWS::SNS::Subscription',
          Condition: 'On',
          Properties: {
            TopicArn: topicArn,
            Endpoint: { 'Fn::GetAtt': ['Q', 'Arn'] },
            RawMessageDelivery: raw,
          },
        },
      },
    },
  ] as unknown as PrintedService['resources'],
})

const blog: PrintedService = {
  service: 'blog-site',
  provider: { name: 'aws', stage: 'local', region: 'us-east-1' },
  resources: {
    Resources: {
      Uploads: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketName: 'uploads',
          NotificationConfiguration: {
            TopicConfigurations: [
              {
                Event: 's3:ObjectCreated:*',
                Topic: { Ref: 'Topic' },
                Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'photos/' }] } },
              },
            ],
          },
        },
      },
    },
    Outputs: { PhotoUploadedTopicArn: { Value: { Ref: 'Topic' } } },
  },
}

const cloud = (own: PrintedService) => ({
  config: (service: string) => (service === 'workflows' ? own : service === 'blog-site' ? blog : undefined),
  outputs: { 'blog-site': { PhotoUploadedTopicArn: topicArn } },
})

describe('uploadsWiring', () => {
  it('follows the sqs event to its queue, subscription, topic output and the bucket rules publishing to it', () => {
    expect(uploadsWiring(cloud(workflows('true')))).toEqual({
      uploadsBucket: 'uploads',
      topicArn,
      rules: [expect.objectContaining({ event: 's3:ObjectCreated:*', prefix: 'photos/', kind: 'topic' })],
      queueName: 'q',
      maxReceiveCount: 4,
      batchSize: 7,
      reportBatchItemFailures: true,
      rawMessageDelivery: false,
    })
  })

  it('wires nothing when autoStartPhotoPipeline turns the subscription off', () => {
    expect(uploadsWiring(cloud(workflows('false')))).toBeUndefined()
  })
})
