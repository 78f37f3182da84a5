/**
 * Blog photos start the photo pipeline on their own, locally as in AWS: a real JPEG put into
 * blog-site's uploads bucket under photos/ goes s3rver → notification router (blog-site's
 * template rules) → local SNS topic → this service's queue → startUploadedPhotoJobs → the local
 * Step Functions host (the photo machine as defined, every task our handler) → the jobs table.
 * The duplicate delivery is the same queue message handed to the same handler again, in-process
 * with the function's environment (the local queue lives in the runner's process, not in the test's).
 */

import type { JobItem } from '@app/domain/jobs'
import { encodeS3EventKey } from '@app/domain/photos'
import { photo } from '@app/images/fixtures'
import { type LocalCloudForTests, localCloud, useFunctionEnv } from '@app/local-cloud/testing'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { beforeAll, describe, expect, it } from 'vitest'
import { UPLOAD_JOB_OWNER } from '../src/use-cases/photo-uploads'
import { eventually, localStores, stepFunctions } from './support'

let cloud: LocalCloudForTests
let names: { jobsTable: string; uploadsBucket: string; dataBucket: string }
let machineArn: string
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>

beforeAll(async () => {
  const base = localCloudConfig()
  cloud = useFunctionEnv(base.env)
  names = base.names
  machineArn = base.env.PHOTO_STATE_MACHINE_ARN!
  // After the environment is in place: the handler reads its configuration at module scope.
  ;({ handler } = await import('../src/functions/startUploadedPhotoJobs/handler'))
})

const stores = localStores(() => cloud)

/** The function's environment as serverless.yml declares it, with the local names and machine. */
function localCloudConfig() {
  const { services, region } = localCloud()
  const config = services.find((service) => service.name === 'workflows')?.config as
    | {
        provider: { environment: Record<string, unknown> }
        functions: Record<string, { environment?: Record<string, unknown> }>
        stepFunctions: { stateMachines: Record<string, { name: string }> }
      }
    | undefined
  if (!config) throw new Error('workflows: no resolved serverless.yml in this run')
  const env = Object.fromEntries(
    Object.entries({
      ...config.provider.environment,
      ...config.functions.startUploadedPhotoJobs?.environment,
    })
      .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
      .map(([key, value]) => [key, String(value)]),
  )
  const machine = config.stepFunctions.stateMachines.photoPipeline?.name
  env.PHOTO_STATE_MACHINE_ARN = `arn:aws:states:${region}:000000000000:stateMachine:${machine}`
  return {
    env,
    names: { jobsTable: env.JOBS_TABLE!, uploadsBucket: env.UPLOADS_BUCKET!, dataBucket: env.DATA_BUCKET! },
  }
}

/** The photo machine's executions started for `key` (ListExecutions + DescribeExecution). */
const executionsOf = async (key: string) =>
  (await stepFunctions(cloud).executions(machineArn)).filter(
    (execution) => (execution.input.source as { key?: string } | undefined)?.key === key,
  )

const item = async (jobId: string) => (await stores.item(names.jobsTable, jobId)) as JobItem | undefined
const { exists } = stores

/** The message the topic delivered for an upload: the S3 event in the SNS envelope (RawMessageDelivery false). */
const redelivery = (origin: Readonly<Record<string, string>>, messageId: string): SQSRecord => ({
  messageId,
  receiptHandle: messageId,
  body: JSON.stringify({
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: 'arn:aws:sns:local:photo-uploaded',
    Message: JSON.stringify({
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: { name: origin.bucket },
            object: {
              key: encodeS3EventKey(origin.key!),
              size: 1,
              eTag: origin.etag,
              sequencer: origin.sequencer,
            },
          },
        },
      ],
    }),
  }),
  attributes: {
    ApproximateReceiveCount: '2',
    SentTimestamp: '0',
    SenderId: 'sns',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:photo-uploads',
  awsRegion: cloud.region,
})

describe('a blog photo upload', () => {
  it('runs the photo pipeline once, with all four branch results stored; a duplicate delivery starts nothing', async () => {
    const key = `photos/it-${crypto.randomUUID()}/beach at noon.jpg`
    const body = await photo(800, 600, 'jpeg')
    await stores.s3.send(
      new PutObjectCommand({ Bucket: names.uploadsBucket, Key: key, Body: body, ContentType: 'image/jpeg' }),
    )

    // The execution the upload started (its name is the job id), then its job item by key.
    const [execution] = await eventually(
      `an execution of the photo machine for ${key}`,
      () => executionsOf(key),
      (found) => found.length > 0,
    )
    const job = await eventually(
      `job ${execution!.name} to leave RUNNING`,
      () => item(execution!.name),
      (found) => found !== undefined && found.status !== 'RUNNING',
    )
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      owner: UPLOAD_JOB_OWNER,
      workflow: 'photo',
      executionArn: expect.stringContaining(job!.jobId),
      origin: { bucket: names.uploadsBucket, key },
    })
    const result = job!.result as {
      source: { key: string }
      info: { width: number; height: number }
      metadata: { key: string }
      renditions: Record<'resized' | 'greyscale' | 'cropped', { key: string; width: number; height: number }>
    }
    expect(result.source.key).toBe(key)
    expect(result.info).toMatchObject({ width: 800, height: 600 })
    expect(result.renditions.resized).toMatchObject({ width: 800, height: 600 })
    expect(result.renditions.cropped).toMatchObject({ width: 512, height: 512 })
    const stored = [
      result.metadata.key,
      ...Object.values(result.renditions).map((rendition) => rendition.key),
    ]
    expect(new Set(stored).size).toBe(4)
    for (const objectKey of stored) expect(await exists(names.dataBucket, objectKey), objectKey).toBe(true)

    // The same event again, twice in one batch and once more later: acknowledged, nothing started.
    const before = await item(job!.jobId)
    const context = { functionName: 'startUploadedPhotoJobs', awsRequestId: 'duplicate' } as Context
    const first = await handler(
      { Records: [redelivery(job!.origin!, 'dup-1'), redelivery(job!.origin!, 'dup-2')] },
      context,
    )
    const second = await handler({ Records: [redelivery(job!.origin!, 'dup-3')] }, context)
    expect([first.batchItemFailures, second.batchItemFailures]).toEqual([[], []])
    expect((await executionsOf(key)).map((found) => found.name)).toEqual([job!.jobId])
    expect(await item(job!.jobId)).toEqual(before)

    // A delivery that finds the item as a crash after StartExecution left it (RUNNING, no execution
    // recorded) asks Step Functions again: the name is taken (ExecutionAlreadyExists), so still
    // nothing starts, and nothing is recorded as started.
    await stores.db.send(
      new UpdateCommand({
        TableName: names.jobsTable,
        Key: { jobId: job!.jobId },
        UpdateExpression: 'SET #status = :running REMOVE executionArn',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'RUNNING' },
      }),
    )
    const third = await handler({ Records: [redelivery(job!.origin!, 'dup-4')] }, context)
    expect(third.batchItemFailures).toEqual([])
    expect(await item(job!.jobId)).toMatchObject({ status: 'RUNNING', result: before!.result })
    expect((await item(job!.jobId))?.executionArn).toBeUndefined()
    expect((await executionsOf(key)).map((found) => found.name)).toEqual([job!.jobId])
  })
})
