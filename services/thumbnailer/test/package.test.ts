/**
 * Template and artifact checks on what `sls package` really produces for this service (offline,
 * no credentials): the S3 → SNS → SQS → Lambda wiring, the queue's DLQ/redrive/visibility, alarms,
 * least-privilege IAM without a recursion path, and the zip: handler bundled, sharp external and
 * built for Lambda's linux-arm64.
 *
 * Needs the npm registry: serverless-esbuild installs sharp for linux-arm64 into the zip (`npm
 * install` with the Lambda platform flags of serverless.yml). So it runs in the `packaging` vitest
 * project (PACKAGING_TESTS in packages/local-cloud/src/vitest-project.ts), which an offline run
 * leaves out with `pnpm vitest run --project '!packaging'` (README, Testing); `pnpm test` runs it.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { readCompose } from '@app/cloudformation'
import { PHOTO_PREFIX } from '@app/domain/photos'
import { expectSharpForLambda } from '@app/images/lambda-zip'
import { printService } from '@app/local-cloud/template/print'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const serviceDir = join(import.meta.dirname, '..')
const rootDir = join(serviceDir, '..', '..')
const stage = 'test'

/** Stand-ins for blog-site's outputs, as compose would pass them after its deploy. */
const params: Record<string, string> = {
  uploadsBucketName: 'blog-site-test-uploads',
  thumbnailsBucketName: 'blog-site-test-thumbnails',
  photoUploadedTopicArn: 'arn:aws:sns:us-east-1:123456789012:blog-site-test-photo-uploaded',
  photoUploadedTopicKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000',
  photosTableName: 'blog-site-test-photos',
  photosTableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/blog-site-test-photos',
}

interface Resource {
  Type: string
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON; the assertions are the type check
  Properties: Record<string, any>
  DependsOn?: string[]
}
interface Statement {
  Effect: string
  Action: string | string[]
  Resource: unknown
  Condition?: Record<string, Record<string, unknown>>
}

let outDir: string
let template: { Resources: Record<string, Resource>; Outputs: Record<string, { Value: unknown }> }
let zipBytes: Uint8Array

const sls = join(rootDir, 'node_modules', '.bin', 'sls')

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'thumbnailer-package-'))
  const env: NodeJS.ProcessEnv = { ...process.env, SLS_TELEMETRY_DISABLED: '1', AWS_CONFIG_FILE: '/dev/null' }
  for (const key of Object.keys(env))
    if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)/.test(key)) delete env[key]
  await promisify(execFile)(
    sls,
    [
      'package',
      '--stage',
      stage,
      '--package',
      outDir,
      ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`]),
    ],
    {
      cwd: serviceDir,
      // Its own esbuild work folder: `pnpm package` / the policy tests may package this service at the same time.
      env: {
        ...env,
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        ESBUILD_WORK_FOLDER: relative(serviceDir, join(outDir, 'esbuild')),
      },
      maxBuffer: 32 * 1024 * 1024,
    },
  )
  template = JSON.parse(readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'))
  zipBytes = readFileSync(join(outDir, 'makeThumbnails.zip'))
  // ~30 s normally; generous because CI machines are shared (sls + esbuild + two npm installs).
}, 600_000)

afterAll(() => {
  if (outDir) rmSync(outDir, { recursive: true, force: true })
})

const ofType = (type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type)
const only = (type: string): [string, Resource] => {
  const found = ofType(type)
  expect(found, type).toHaveLength(1)
  return found[0]!
}
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] })
const fn = () => only('AWS::Lambda::Function')[1]
const statements = (): Statement[] => {
  const roleId = (fn().Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]
  const role = template.Resources[roleId]!
  return role.Properties.Policies.flatMap(
    (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement,
  )
}
const actions = (statement: Statement) => [statement.Action].flat()

describe('fan-out wiring', () => {
  it('subscribes the queue to blog-site’s topic, keeping the SNS envelope and a DLQ for undeliverables', () => {
    const [, subscription] = only('AWS::SNS::Subscription')
    expect(subscription.Properties).toEqual({
      TopicArn: params.photoUploadedTopicArn,
      Protocol: 'sqs',
      Endpoint: getAtt('PhotoQueue'),
      RawMessageDelivery: false,
      RedrivePolicy: { deadLetterTargetArn: getAtt('PhotoDeadLetterQueue') },
    })
    expect(subscription.DependsOn).toContain('PhotoQueuePolicy')
  })

  it('lets only that topic send to the queues, and nobody without TLS', () => {
    const [, policy] = only('AWS::SQS::QueuePolicy')
    const [allow, deny] = policy.Properties.PolicyDocument.Statement as (Statement & { Principal: unknown })[]
    expect(allow).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: [getAtt('PhotoQueue'), getAtt('PhotoDeadLetterQueue')],
      Condition: { ArnEquals: { 'aws:SourceArn': params.photoUploadedTopicArn } },
    })
    expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })
    expect(policy.Properties.Queues).toEqual([{ Ref: 'PhotoQueue' }, { Ref: 'PhotoDeadLetterQueue' }])
  })

  it('feeds the function from the queue with partial batch failures', () => {
    const [, mapping] = only('AWS::Lambda::EventSourceMapping')
    expect(mapping.Properties).toMatchObject({
      EventSourceArn: getAtt('PhotoQueue'),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    })
    expect(mapping.Properties.BatchSize).toBeGreaterThanOrEqual(1)
    expect(mapping.Properties.ScalingConfig.MaximumConcurrency).toBeGreaterThanOrEqual(2)
  })
})

describe('queue settings', () => {
  it('dead-letters after maxReceiveCount, which the function knows (it records the last attempt)', () => {
    const queue = template.Resources.PhotoQueue!.Properties
    expect(queue.RedrivePolicy.deadLetterTargetArn).toEqual(getAtt('PhotoDeadLetterQueue'))
    expect(Number(queue.RedrivePolicy.maxReceiveCount)).toBeGreaterThanOrEqual(3)
    expect(fn().Properties.Environment.Variables.MAX_RECEIVE_COUNT).toBe(
      String(queue.RedrivePolicy.maxReceiveCount),
    )
  })

  it('keeps dead letters two weeks, and only from the photo queue', () => {
    const dlq = template.Resources.PhotoDeadLetterQueue!.Properties
    expect(dlq.MessageRetentionPeriod).toBe(1_209_600)
    expect(dlq.RedriveAllowPolicy.redrivePermission).toBe('byQueue')
    expect(JSON.stringify(dlq.RedriveAllowPolicy.sourceQueueArns)).toContain(
      template.Resources.PhotoQueue!.Properties.QueueName,
    )
  })

  it('fits the visibility timeout to the function timeout, and a batch of libvips budgets inside it', () => {
    const { Timeout, Environment } = fn().Properties
    expect(Number(template.Resources.PhotoQueue!.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(
      6 * Timeout,
    )
    const [, mapping] = only('AWS::Lambda::EventSourceMapping')
    expect(
      mapping.Properties.BatchSize * Number(Environment.Variables.PROCESSING_TIMEOUT_SECONDS),
    ).toBeLessThan(Timeout)
  })

  it('encrypts both queues', () => {
    for (const [, queue] of ofType('AWS::SQS::Queue'))
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true)
  })

  it('alarms on any dead-lettered message and on a backlog, to the stack’s alarm topic', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties)
    const dead = alarms.find(
      (alarm) =>
        alarm.MetricName === 'ApproximateNumberOfMessagesVisible' &&
        JSON.stringify(alarm.Dimensions) ===
          JSON.stringify([{ Name: 'QueueName', Value: getAtt('PhotoDeadLetterQueue', 'QueueName') }]),
    )
    expect(dead).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    })
    expect(dead?.AlarmActions).toEqual([{ Ref: 'OpsAlarmTopic' }])
    expect(alarms.find((alarm) => alarm.MetricName === 'ApproximateAgeOfOldestMessage')).toMatchObject({
      Dimensions: [{ Name: 'QueueName', Value: getAtt('PhotoQueue', 'QueueName') }],
      AlarmActions: [{ Ref: 'OpsAlarmTopic' }],
    })
    expect(template.Resources.OpsAlarmTopic?.Type).toBe('AWS::SNS::Topic')
  })
})

describe('IAM and recursion', () => {
  it('uses no wildcard action, and a wildcard resource only for X-Ray', () => {
    for (const statement of statements()) {
      for (const action of actions(statement)) expect(action).not.toMatch(/\*/)
      if (JSON.stringify(statement.Resource).includes('"*"') || statement.Resource === '*') {
        expect(actions(statement).every((action) => action.startsWith('xray:'))).toBe(true)
      }
    }
  })

  it('reads the uploads bucket under the photo prefix only', () => {
    const s3 = statements().filter((statement) =>
      actions(statement).some((action) => action.startsWith('s3:')),
    )
    const get = s3.find((statement) => actions(statement).includes('s3:GetObject'))
    expect(get?.Resource).toBe(`arn:aws:s3:::${params.uploadsBucketName}/${PHOTO_PREFIX}*`)
    const list = s3.find((statement) => actions(statement).includes('s3:ListBucket'))
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': [`${PHOTO_PREFIX}*`] } })
  })

  it('writes only the thumbnails bucket: nothing can write the uploads bucket and re-trigger the pipeline', () => {
    const writes = statements().filter((statement) =>
      actions(statement).some((action) => /^s3:(Put|Delete|Copy|Restore|Replicate|Abort)/.test(action)),
    )
    expect(writes).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject'],
        Resource: `arn:aws:s3:::${params.thumbnailsBucketName}/*`,
      },
    ])
    expect(params.thumbnailsBucketName).not.toBe(params.uploadsBucketName)
  })

  it('touches the photos table with the item reads and writes it needs, nothing else', () => {
    const dynamo = statements().filter((statement) =>
      actions(statement).some((action) => action.startsWith('dynamodb:')),
    )
    expect(dynamo).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Resource: params.photosTableArn,
      },
    ])
  })

  it('can consume its own queue only', () => {
    const sqs = statements().filter((statement) =>
      actions(statement).some((action) => action.startsWith('sqs:')),
    )
    expect(sqs.flatMap((statement) => [statement.Resource].flat())).toEqual([getAtt('PhotoQueue')])
  })

  it('agrees with blog-site: only the uploads bucket notifies, under the same prefix; thumbnails notify nobody', async () => {
    const compose = readCompose(rootDir).find((service) => service.name === 'blog-site')
    const { printed } = await printService({
      serviceDir: join(rootDir, 'services', 'blog-site'),
      rootDir,
      stage,
      paramNames: Object.keys(compose?.params ?? {}),
      cacheDir: join(rootDir, '.local', 'cache'),
    })
    const parts = [printed.resources].flat() as { Resources?: Record<string, Resource> }[]
    const resources = Object.assign({}, ...parts.map((part) => part?.Resources ?? {})) as Record<
      string,
      Resource
    >
    const buckets = Object.values(resources).filter((resource) => resource.Type === 'AWS::S3::Bucket')
    // By logical id: outside the local stage the names carry account and region (an Fn::Sub).
    const uploads = resources.UploadsBucket
    const thumbnails = resources.ThumbnailsBucket
    expect(uploads?.Type).toBe('AWS::S3::Bucket')
    expect(thumbnails?.Type).toBe('AWS::S3::Bucket')
    expect(thumbnails?.Properties.NotificationConfiguration).toBeUndefined()
    const notifying = buckets.filter((bucket) => bucket.Properties.NotificationConfiguration)
    expect(notifying).toEqual([uploads])
    const [rule] = uploads?.Properties.NotificationConfiguration.TopicConfigurations ?? []
    expect(rule.Filter.S3Key.Rules).toEqual([{ Name: 'prefix', Value: PHOTO_PREFIX }])
  })
})

describe('the zip', () => {
  it('holds the bundled handler importing sharp, built for the linux-arm64 the function declares', async () => {
    expect(fn().Properties.Architectures).toEqual(['arm64'])
    expect(fn().Properties.Runtime).toBe('nodejs22.x')
    await expectSharpForLambda(zipBytes, {
      handler: 'src/functions/makeThumbnails/handler.mjs',
      architecture: 'arm64',
    })
  })
})
