import type { CfnTemplate } from '@app/cloudformation'
import { describe, expect, it } from 'vitest'
import { STUB_ACCOUNT_ID, stubOutputs } from './stubs'

const template: CfnTemplate = {
  Resources: {
    Subscribers: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: 'blog-site-dev-subscribers',
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      },
    },
    Uploads: {
      Type: 'AWS::S3::Bucket',
      Properties: { BucketName: { 'Fn::Sub': 'blog-dev-uploads-${AWS::AccountId}' } },
    },
    Photos: { Type: 'AWS::SNS::Topic' },
    UserPool: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolName: 'todo-api-dev-users' } },
    UserPoolClient: { Type: 'AWS::Cognito::UserPoolClient' },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q' } },
  },
  Outputs: {
    StreamArn: { Value: { 'Fn::GetAtt': ['Subscribers', 'StreamArn'] } },
    TableName: { Value: { Ref: 'Subscribers' } },
    Bucket: { Value: { Ref: 'Uploads' } },
    BucketArn: { Value: { 'Fn::GetAtt': 'Uploads.Arn' } },
    Topic: { Value: { Ref: 'Photos' } },
    PoolId: { Value: { Ref: 'UserPool' } },
    PoolArn: { Value: { 'Fn::GetAtt': ['UserPool', 'Arn'] } },
    ClientId: { Value: { Ref: 'UserPoolClient' } },
    QueueUrl: { Value: { Ref: 'Queue' } },
    Joined: { Value: { 'Fn::Join': ['', ['https://', { Ref: 'AWS::Region' }, '.example']] } },
    Literal: { Value: 'plain' },
  },
}

describe('stubOutputs', () => {
  const stubs = stubOutputs(template, { region: 'eu-west-1', stackName: 'blog-site-dev' })
  const value = (name: string) => stubs[name]?.value

  it('follows each resource type’s documented Ref and GetAtt shapes, in the fake account', () => {
    expect(value('StreamArn')).toBe(
      `arn:aws:dynamodb:eu-west-1:${STUB_ACCOUNT_ID}:table/blog-site-dev-subscribers/stream/1970-01-01T00:00:00.000`,
    )
    expect(value('TableName')).toBe('blog-site-dev-subscribers')
    expect(value('Bucket')).toBe(`blog-dev-uploads-${STUB_ACCOUNT_ID}`)
    expect(value('BucketArn')).toBe(`arn:aws:s3:::blog-dev-uploads-${STUB_ACCOUNT_ID}`)
    expect(value('Topic')).toBe(`arn:aws:sns:eu-west-1:${STUB_ACCOUNT_ID}:blog-site-dev-Photos-STUB`)
    expect(value('PoolId')).toMatch(/^eu-west-1_[0-9A-Za-z]+$/)
    expect(value('PoolArn')).toBe(
      `arn:aws:cognito-idp:eu-west-1:${STUB_ACCOUNT_ID}:userpool/${value('PoolId')}`,
    )
    expect(value('ClientId')).toMatch(/^[0-9a-z]{26}$/)
    expect(value('QueueUrl')).toBe(`https://sqs.eu-west-1.amazonaws.com/${STUB_ACCOUNT_ID}/q`)
    expect(value('Joined')).toBe('https://eu-west-1.example')
    expect(value('Literal')).toBe('plain')
  })

  it('keeps the expression each stub stands for', () => {
    expect(stubs.StreamArn?.from).toEqual({ 'Fn::GetAtt': ['Subscribers', 'StreamArn'] })
  })

  it('refuses outputs that point at resources the template does not declare', () => {
    expect(() =>
      stubOutputs(
        { Resources: {}, Outputs: { X: { Value: { Ref: 'Ghost' } } } },
        { region: 'r', stackName: 's' },
      ),
    ).toThrow(/Ghost/)
  })
})
