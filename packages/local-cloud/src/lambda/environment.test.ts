import { describe, expect, it } from 'vitest'
import type { PrintedService } from '../template/print'
import { lambdaDefinition } from './environment'

const printed: PrintedService = {
  service: 'thumbs',
  provider: {
    name: 'aws',
    stage: 'local',
    region: 'us-east-1',
    environment: {
      STAGE: 'local',
      POWERTOOLS_SERVICE_NAME: 'thumbs',
      POWERTOOLS_METRICS_NAMESPACE: 'serverless-classics',
      TABLE: { Ref: 'PhotosTable' },
      QUEUE_ARN: { 'Fn::GetAtt': ['PhotoQueue', 'Arn'] },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not JavaScript's.
      MACHINE: { 'Fn::Sub': 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:m' },
    },
    memorySize: 512,
    timeout: 10,
  } as PrintedService['provider'],
  functions: {
    make: {
      handler: 'src/functions/make/handler.handler',
      name: 'thumbs-local-make',
      memorySize: 1769,
      environment: { WIDTHS: '256,1024', QUALITY: 80, STAGE: 'overridden-by-function' },
    },
    other: { handler: 'src/functions/other/handler.handler' },
  },
}

const intrinsics = {
  region: 'us-east-1',
  accountId: '000000000000',
  stackName: 'thumbs-local',
  refs: { PhotosTable: 'thumbs-local-photos' },
  attributes: {},
}

describe('lambdaDefinition', () => {
  it("is the deployed function's environment: Lambda's variables, provider then function environment, local overrides last", () => {
    const fn = lambdaDefinition({
      printed,
      key: 'make',
      intrinsics,
      overrides: { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569', AWS_ACCESS_KEY_ID: 'S3RVER' },
    })
    expect(fn).toMatchObject({ name: 'thumbs-local-make', memorySize: 1769, timeoutSeconds: 10 })
    expect(fn.environment).toEqual({
      _HANDLER: 'src/functions/make/handler.handler',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'thumbs-local-make',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1769',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/thumbs-local-make',
      AWS_LAMBDA_LOG_STREAM_NAME: 'local/[$LATEST]thumbs-local-make',
      LANG: 'en_US.UTF-8',
      STAGE: 'overridden-by-function',
      POWERTOOLS_SERVICE_NAME: 'thumbs',
      POWERTOOLS_METRICS_NAMESPACE: 'serverless-classics',
      TABLE: 'thumbs-local-photos',
      QUEUE_ARN: 'arn:aws:local:us-east-1:000000000000:unavailable-locally/thumbs/make/QUEUE_ARN',
      MACHINE: 'arn:aws:states:us-east-1:000000000000:stateMachine:m',
      WIDTHS: '256,1024',
      QUALITY: '80',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569',
      AWS_ACCESS_KEY_ID: 'S3RVER',
    })
    expect(fn.unresolved).toEqual([{ name: 'QUEUE_ARN', reason: expect.stringContaining('PhotoQueue') }])
  })

  it("takes the provider's settings, then Serverless' defaults, and names the function as Serverless does", () => {
    const fn = lambdaDefinition({ printed, key: 'other', intrinsics })
    expect(fn).toMatchObject({ name: 'thumbs-local-other', memorySize: 512, timeoutSeconds: 10 })
    const bare = lambdaDefinition({
      printed: { ...printed, provider: { name: 'aws', stage: 'local', region: 'us-east-1' } },
      key: 'other',
      intrinsics,
    })
    expect(bare).toMatchObject({ memorySize: 1024, timeoutSeconds: 6 })
  })

  it('refuses a function serverless.yml does not define', () => {
    expect(() => lambdaDefinition({ printed, key: 'missing', intrinsics })).toThrow(/no function missing/)
  })
})
