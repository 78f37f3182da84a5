/**
 * For the functions' handler tests: a handler.ts loaded with this service's environment (what
 * serverless.yml gives every function) and its AWS clients mocked (aws-sdk-client-mock), so a test
 * checks the wiring (which bucket, table and machine the handler was built with) without a network.
 */
import { Readable } from 'node:stream'
import { photo } from '@app/images/fixtures'
import { lambdaContext, loadWithEnv, type RestEventInput, restEvent, stepInput } from '@app/runtime/testing'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { SFNClient } from '@aws-sdk/client-sfn'
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { APIGatewayProxyResult, Context } from 'aws-lambda'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach } from 'vitest'
import { processPhoto } from '../use-cases/photo'

export const ENV = {
  AWS_REGION: 'us-east-1',
  STAGE: 'test',
  JOBS_TABLE: 'workflows-test-jobs',
  DATA_BUCKET: 'workflows-test-data',
  UPLOADS_BUCKET: 'blog-site-test-uploads',
  RETENTION_DAYS: '30',
  QUOTA_TABLE: 'workflows-test-job-quota',
  JOBS_PER_USER_PER_DAY: '5',
  TEXT_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:workflows-test-text',
  PHOTO_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:workflows-test-photo',
}

/** Mocked clients, fresh before each test: every command answers `{}` unless a test says otherwise. */
export const mockedAws = () => {
  const aws = { s3: mockClient(S3Client), db: mockClient(DynamoDBDocumentClient), sfn: mockClient(SFNClient) }
  beforeEach(() => {
    aws.s3.reset().onAnyCommand().resolves({})
    aws.db.reset().onAnyCommand().resolves({})
    aws.sfn.reset().onAnyCommand().resolves({})
  })
  return aws
}

export const loadHandler = <M>(load: () => Promise<M>) => loadWithEnv(load, ENV)

type Handler<E, R> = (event: E, context: Context) => Promise<R>

/**
 * The function `key`'s handler.ts as Lambda loads it (this service's environment, AWS clients
 * mocked fresh before each test), and `invoke`, which calls it as Lambda does: with the context of
 * that function. Call at the top of a test file (it registers a `beforeEach`).
 */
export const handlerUnderTest = async <E, R>(
  key: string,
  load: () => Promise<{ handler: Handler<E, R> }>,
) => {
  const aws = mockedAws()
  const { handler } = await loadHandler(load)
  return { aws, invoke: (event: E) => handler(event, lambdaContext(key)) }
}

/** A state machine step under test: `run` hands it `state` as the machine does (`stepInput`). */
export const stepUnderTest = async <R>(
  key: string,
  load: () => Promise<{ handler: Handler<unknown, R> }>,
) => {
  const { aws, invoke } = await handlerUnderTest(key, load)
  return { aws, run: (state: unknown) => invoke(stepInput(state)) }
}

/** An API function under test: `call` sends it a request as our authorizer lets `sub` through; `invoke` any event. */
export const routeUnderTest = async (
  key: string,
  load: () => Promise<{ handler: Handler<ReturnType<typeof apiCall>, APIGatewayProxyResult> }>,
) => {
  const { aws, invoke } = await handlerUnderTest(key, load)
  return {
    aws,
    invoke,
    call: (sub: string, request: Parameters<typeof apiCall>[1]) => invoke(apiCall(sub, request)),
  }
}

type StepUnderTest<R> = Awaited<ReturnType<typeof stepUnderTest<R>>>

/** A text step run on an S3 text (`text`, in the data bucket): the next state's source and what it wrote. */
export const runOnS3Text = async (step: StepUnderTest<{ source: unknown }>, text: string) => {
  step.aws.s3.on(GetObjectCommand).resolves({ Body: objectBody(text) as never })
  const source = { kind: 's3', bucket: ENV.DATA_BUCKET, key: 'texts/inputs/a.txt' }
  const next = await step.run({ jobId: 'job-1', owner: 'u1', topN: 10, source })
  return { source: next.source, written: putKeys(step.aws.s3) }
}

/** A photo branch run on an uploaded `width`×`height` JPEG: its result and what it wrote (`bucket/key`). */
export const runOnUploadedPhoto = async (step: StepUnderTest<unknown>, width: number, height: number) => {
  const { state } = await uploadedPhoto(step.aws.s3, await photo(width, height))
  return { result: await step.run(state), written: putKeys(step.aws.s3) }
}

/** The S3 object a GetObject mock answers with: the SDK's streamed body, over `bytes`. */
export const objectBody = (bytes: Uint8Array | string) => {
  const body = Readable.from([Buffer.from(bytes)])
  return Object.assign(body, { transformToByteArray: async () => new Uint8Array(Buffer.from(bytes)) })
}

/** What a mocked S3 was asked to write: `bucket/key` per PutObject. */
export const putKeys = (s3: ReturnType<typeof mockedAws>['s3']) =>
  s3
    .commandCalls(PutObjectCommand)
    .map(({ args: [command] }) => `${command.input.Bucket}/${command.input.Key}`)

/**
 * A photo uploaded to the blog's bucket, as the mocked S3 serves it, and the job state the photo
 * pipeline's first state makes of it (what every branch receives).
 */
export const uploadedPhoto = async (s3: ReturnType<typeof mockedAws>['s3'], bytes: Uint8Array) => {
  s3.on(GetObjectCommand, { Bucket: ENV.UPLOADS_BUCKET, Key: 'photos/p.jpg' }).resolves({
    Body: objectBody(bytes) as never,
  })
  const job = { jobId: 'job-1', owner: 'u1', source: { bucket: ENV.UPLOADS_BUCKET, key: 'photos/p.jpg' } }
  const store = { read: async () => bytes, write: async (key: string) => key }
  return { job, state: await processPhoto(job, store, ENV.UPLOADS_BUCKET) }
}

/** What a mocked DocumentClient was asked to update: table, key and the values set, per UpdateItem. */
export const updates = (db: ReturnType<typeof mockedAws>['db']) =>
  db.commandCalls(UpdateCommand).map(({ args: [command] }) => ({
    table: command.input.TableName,
    key: command.input.Key,
    values: command.input.ExpressionAttributeValues,
  }))

/** A call of the API as our authorizer lets `sub` through (the proxy event API Gateway sends). */
export const apiCall = (sub: string, request: Omit<RestEventInput, 'authorizer'> & { json?: unknown }) => {
  const { json, ...rest } = request
  return restEvent({
    ...rest,
    ...(json === undefined
      ? {}
      : { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }),
    authorizer: { sub, username: sub, groups: '[]' },
  })
}
