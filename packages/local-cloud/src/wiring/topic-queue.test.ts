/**
 * A topic-queue consumer's local wiring reads everything from the two resolved templates; here with
 * small hand-made ones shaped like `sls print`'s (the thumbnailer and workflows integration tests
 * run the real ones).
 */
import { describe, expect, it } from 'vitest'
import type { PrintedService } from '../template/print'
import { type TopicQueueConsumer, topicQueueWiring } from './topic-queue'

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
  stage: 'local',
})

const consumer: TopicQueueConsumer = {
  service: 'workflows',
  functionKey: 'startUploadedPhotoJobs',
  upstream: 'blog-site',
  bucketVariable: 'UPLOADS_BUCKET',
}

describe('topicQueueWiring', () => {
  it('follows the sqs event to its queue, subscription, topic output and the bucket rules publishing to it', () => {
    expect(topicQueueWiring(cloud(workflows('true')), consumer)).toEqual({
      bucket: 'uploads',
      topicArn,
      rules: [expect.objectContaining({ event: 's3:ObjectCreated:*', prefix: 'photos/', kind: 'topic' })],
      queueName: 'q',
      maxReceiveCount: 4,
      batchSize: 7,
      reportBatchItemFailures: true,
      rawMessageDelivery: false,
    })
  })

  it("wires nothing when the subscription's condition is false for the stage", () => {
    expect(topicQueueWiring(cloud(workflows('false')), consumer)).toBeUndefined()
  })
})
