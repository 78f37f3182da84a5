/**
 * Both state machines, end to end, as packaged for a deploy: definitions from `sls package`'s
 * template, every Lambda task our real handler, against DynamoDB Local and s3rver of the run's
 * local cloud. Fault injection happens at the Lambda invocation boundary (the host's interceptor),
 * the one place a test may fake: what retries and what gets caught is the definitions' own doing.
 */
import { randomUUID } from 'node:crypto'
import type { CfnTemplate } from '@app/cloudformation'
import { photo, truncated } from '@app/images/fixtures'
import type { LocalCloudForTests } from '@app/local-cloud/testing'
import { useFunctionEnv } from '@app/local-cloud/testing'
import {
  type LocalExecution,
  logSubscriptionsOf,
  modelFromTemplate,
  type ServiceModel,
  type StepFunctionsHost,
  type StepFunctionsHostOptions,
  startStepFunctionsHost,
} from '@app/local-cloud/wiring/step-functions'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { PutCommand } from '@aws-sdk/lib-dynamodb'
import aslValidator from 'asl-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { composeParams, eventually, localStores, packageService, printedModel, serviceDir } from './support'

let cloud: LocalCloudForTests
let template: CfnTemplate
let model: ServiceModel
let host: StepFunctionsHost
let names: { jobsTable: string; dataBucket: string; uploadsBucket: string }

/** Faults to inject per job: state name → [error name, how many first attempts fail]. */
const faults = new Map<string, Record<string, [string, number]>>()

beforeAll(async () => {
  cloud = useFunctionEnv()
  template = await packageService(cloud.stage, composeParams(cloud))
  model = modelFromTemplate(template, cloud.region)
  host = await startStepFunctionsHost({
    model,
    serviceDir,
    region: cloud.region,
    env: cloud.functionEnv,
    retryDelayMs: 5,
    interceptor: async ({ stateName, attempt, payload, invoke }) => {
      const jobId = (payload as { jobId?: string } | null)?.jobId ?? ''
      const [name, times] = faults.get(jobId)?.[stateName] ?? ['', 0]
      if (attempt <= times) throw Object.assign(new Error(`injected ${name} #${attempt}`), { name })
      return invoke()
    },
  })
  const env = model.functions.get('StoreTextResultLambdaFunction')!.environment
  names = { jobsTable: env.JOBS_TABLE!, dataBucket: env.DATA_BUCKET!, uploadsBucket: env.UPLOADS_BUCKET! }
})

afterAll(async () => {
  await host?.stop()
})
const stores = localStores(() => cloud)

const machine = (type: 'text' | 'photo') =>
  model.machines.find((candidate) => candidate.name.endsWith(`-${type}`))!

const run = (type: 'text' | 'photo', input: Record<string, unknown>): Promise<LocalExecution> =>
  host.startExecution({
    stateMachineArn: machine(type).arn,
    name: String(input.jobId),
    input: JSON.stringify(input),
  }).done

const item = (jobId: string) => stores.item(names.jobsTable, jobId)
const { exists } = stores

const newJob = () => ({ jobId: randomUUID(), owner: `user-${randomUUID()}` })

describe('definitions', () => {
  it('are valid Amazon States Language', () => {
    for (const { name, definition } of model.machines) {
      // A copy: asl-validator writes its defaults (QueryLanguage) into the object it checks.
      const { isValid, errorsText } = aslValidator(structuredClone(definition))
      expect(isValid, `${name}: ${errorsText()}`).toBe(true)
    }
  })

  it('run locally exactly as packaged for AWS: pnpm dev reads sls print, tests read the template, no drift', async () => {
    const local = await printedModel(cloud)
    expect(local.machines).toEqual(model.machines)
    for (const [id, fn] of model.functions) expect(local.functions.get(id)?.handler).toBe(fn.handler)
  })

  it('choose Express for the text pipeline and Standard for the photo pipeline, with logging and tracing', () => {
    const resources = Object.values(template.Resources).filter(
      (r) => r.Type === 'AWS::StepFunctions::StateMachine',
    )
    const byType = Object.fromEntries(
      resources.map((r) => [String(r.Properties!.StateMachineName).split('-').at(-1), r.Properties!]),
    )
    expect(byType.text).toMatchObject({
      StateMachineType: 'EXPRESS',
      TracingConfiguration: { Enabled: true },
    })
    expect(byType.photo).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
    })
    expect(byType.text!.LoggingConfiguration).toMatchObject({ Level: 'ALL' })
    expect(byType.photo!.LoggingConfiguration).toMatchObject({ Level: 'ERROR' })
  })

  it('give every Lambda task a timeout, a jittered back-off retry on transient errors, and a catch', () => {
    const tasks: [string, Record<string, unknown>][] = []
    const visit = (states: Record<string, Record<string, unknown>>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Task') tasks.push([name, state])
        for (const branch of (state.Branches as { States: Record<string, Record<string, unknown>> }[]) ?? [])
          visit(branch.States)
      }
    }
    for (const { definition } of model.machines) visit(definition.States as never)
    expect(tasks.length).toBe(13)
    for (const [name, state] of tasks) {
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath, name).toBeDefined()
      expect(state.Retry, name).toContainEqual(
        expect.objectContaining({
          ErrorEquals: expect.arrayContaining(['TransientError', 'Lambda.TooManyRequestsException']),
          JitterStrategy: 'FULL',
          MaxDelaySeconds: expect.any(Number),
          BackoffRate: 2,
        }),
      )
    }
  })
})

describe('text pipeline (Express)', () => {
  const text = '  Hello,   WORLD!\n안녕하세요 — 세계; ça va? 👍🏽 hello\tcafe\u0301 CAFÉ  '

  it('counts an inline text and stores the result in DynamoDB', async () => {
    const job = newJob()
    const execution = await run('text', { ...job, topN: 2, source: { kind: 'inline', text } })
    expect(execution.status).toBe('SUCCEEDED')
    const expected = {
      totalWords: 9,
      distinctWords: 7,
      topWords: [
        { word: 'café', count: 2 },
        { word: 'hello', count: 2 },
      ],
    }
    expect(JSON.parse(execution.output!)).toEqual({ jobId: job.jobId, status: 'SUCCEEDED', result: expected })
    expect(await item(job.jobId)).toMatchObject({
      ...job,
      workflow: 'text',
      status: 'SUCCEEDED',
      result: expected,
    })
    expect(execution.attempts).toEqual({
      ValidateInput: 1,
      StripStrings: 1,
      RemoveWhitespace: 1,
      WordCounts: 1,
      StoreResult: 1,
    })
  })

  it('streams a text above the inline limit from S3 through every step', async () => {
    const job = newJob()
    const key = `texts/inputs/${job.jobId}.txt`
    const line = 'The quick brown fox, 안녕하세요 세계! café naïve 👍🏽 jumps over the lazy dog.\n'
    await stores.s3.send(
      new PutObjectCommand({ Bucket: names.dataBucket, Key: key, Body: line.repeat(20_000) }),
    )
    const execution = await run('text', { ...job, source: { kind: 's3', bucket: names.dataBucket, key } })
    expect(execution.status).toBe('SUCCEEDED')
    const stored = await item(job.jobId)
    expect(stored?.result).toMatchObject({
      totalWords: 13 * 20_000,
      topWords: expect.arrayContaining([{ word: 'the', count: 40_000 }]),
    })
    expect(await exists(names.dataBucket, `texts/work/${job.jobId}/stripped.txt`)).toBe(true)
    expect(await exists(names.dataBucket, `texts/work/${job.jobId}/collapsed.txt`)).toBe(true)
  })

  it('retries transient failures (our TransientError and Lambda throttling) and then succeeds', async () => {
    const job = newJob()
    faults.set(job.jobId, {
      WordCounts: ['TransientError', 2],
      StripStrings: ['Lambda.TooManyRequestsException', 1],
    })
    const execution = await run('text', { ...job, source: { kind: 'inline', text: 'one two two' } })
    expect(execution.status).toBe('SUCCEEDED')
    expect(execution.attempts).toMatchObject({ StripStrings: 2, WordCounts: 3 })
    expect((await item(job.jobId))?.result).toMatchObject({ totalWords: 3, distinctWords: 2 })
  })

  it('gives up after MaxAttempts and records the transient error as the failure', async () => {
    const job = newJob()
    faults.set(job.jobId, { RemoveWhitespace: ['TransientError', 99] })
    const execution = await run('text', { ...job, source: { kind: 'inline', text: 'a b' } })
    expect(execution).toMatchObject({ status: 'FAILED', error: 'TransientError' })
    expect(execution.attempts.RemoveWhitespace).toBe(5)
    expect(await item(job.jobId)).toMatchObject({ status: 'FAILED', error: { name: 'TransientError' } })
  })

  it('lands a fatal failure (missing S3 text) in the failure state with its cause, without retrying', async () => {
    const job = newJob()
    const key = `texts/inputs/${job.jobId}-missing.txt`
    const execution = await run('text', { ...job, source: { kind: 's3', bucket: names.dataBucket, key } })
    expect(execution).toMatchObject({ status: 'FAILED', error: 'NotFoundError' })
    expect(execution.attempts).toEqual({ ValidateInput: 1, RecordFailure: 1 })
    expect(JSON.parse(execution.cause!)).toMatchObject({
      errorType: 'NotFoundError',
      errorMessage: expect.stringContaining(key),
    })
    expect(await item(job.jobId)).toMatchObject({
      ...job,
      workflow: 'text',
      status: 'FAILED',
      error: { name: 'NotFoundError', message: `No text at s3://${names.dataBucket}/${key}` },
    })
  })

  it('validates input at the first state: bad input fails fast as a ValidationError', async () => {
    const job = newJob()
    const execution = await run('text', { ...job, topN: 0, source: { kind: 'inline', text: 'x' } })
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ValidationError' })
    expect(await item(job.jobId)).toMatchObject({
      status: 'FAILED',
      error: { name: 'ValidationError', message: expect.stringContaining('/input/topN') },
    })
  })

  it('refuses a binary S3 object as not UTF-8 instead of counting replacement characters', async () => {
    const job = newJob()
    const key = `texts/inputs/${job.jobId}.bin`
    await stores.s3.send(
      new PutObjectCommand({ Bucket: names.dataBucket, Key: key, Body: await photo(32, 32) }),
    )
    const execution = await run('text', { ...job, source: { kind: 's3', bucket: names.dataBucket, key } })
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ValidationError' })
    expect((await item(job.jobId))?.error).toEqual({
      name: 'ValidationError',
      message: 'The text is not valid UTF-8',
    })
  })
})

describe('photo pipeline (Standard)', () => {
  const upload = async (jobId: string, body: Uint8Array) => {
    const key = `photos/${jobId}.img`
    await stores.s3.send(new PutObjectCommand({ Bucket: names.uploadsBucket, Key: key, Body: body }))
    return { bucket: names.uploadsBucket, key }
  }

  it('runs the four branches in parallel and stores every branch result in one item', async () => {
    const job = newJob()
    const source = await upload(job.jobId, await photo(1280, 960, 'jpeg'))
    const execution = await run('photo', { ...job, source })
    expect(execution.status).toBe('SUCCEEDED')
    const stored = await item(job.jobId)
    expect(stored).toMatchObject({
      ...job,
      workflow: 'photo',
      status: 'SUCCEEDED',
      result: {
        source,
        info: { format: 'jpeg', width: 1280, height: 960 },
        metadata: {
          key: `photos/${job.jobId}/metadata.json`,
          space: 'srgb',
          channels: 3,
          stats: { opaque: true },
        },
        renditions: {
          resized: { key: `photos/${job.jobId}/resized.webp`, width: 1024, height: 768 },
          greyscale: { key: `photos/${job.jobId}/greyscale.jpg`, width: 1280, height: 960 },
          cropped: { key: `photos/${job.jobId}/cropped.jpg`, width: 512, height: 512 },
        },
      },
    })
    for (const name of ['metadata.json', 'resized.webp', 'greyscale.jpg', 'cropped.jpg'])
      expect(await exists(names.dataBucket, `photos/${job.jobId}/${name}`), name).toBe(true)
    expect(execution.attempts).toEqual({
      ProcessPhoto: 1,
      ExtractMetadata: 1,
      AdjustImageSize: 1,
      UpdateColorChannel: 1,
      CropImage: 1,
      StoreInDb: 1,
    })
  })

  it('retries a transient failure inside a branch and still stores all four results', async () => {
    const job = newJob()
    faults.set(job.jobId, {
      CropImage: ['TransientError', 1],
      ExtractMetadata: ['Lambda.ServiceException', 2],
    })
    const execution = await run('photo', {
      ...job,
      source: await upload(job.jobId, await photo(200, 100, 'png')),
    })
    expect(execution.status).toBe('SUCCEEDED')
    expect(execution.attempts).toMatchObject({ CropImage: 2, ExtractMetadata: 3 })
    expect(Object.keys((await item(job.jobId))?.result.renditions).sort()).toEqual([
      'cropped',
      'greyscale',
      'resized',
    ])
  })

  it('records a photo that is not an image as a final ImageError at the first state', async () => {
    const job = newJob()
    const execution = await run('photo', {
      ...job,
      source: await upload(job.jobId, Buffer.from('<html>not a photo</html>')),
    })
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ImageError' })
    expect(execution.attempts).toEqual({ ProcessPhoto: 1, RecordFailure: 1 })
    expect(await item(job.jobId)).toMatchObject({ status: 'FAILED', error: { name: 'ImageError' } })
  })

  it('catches a branch failure at the Parallel state and records it', async () => {
    const job = newJob()
    const execution = await run('photo', {
      ...job,
      source: await upload(job.jobId, truncated(await photo(600, 400))),
    })
    expect(execution).toMatchObject({ status: 'FAILED', error: 'ImageError' })
    expect(execution.attempts.ProcessPhoto).toBe(1)
    expect(execution.attempts.StoreInDb).toBeUndefined()
    expect((await item(job.jobId))?.error).toMatchObject({ name: 'ImageError' })
  })
})

describe('execution status changes (no state runs when the machine itself times out)', () => {
  /**
   * The `type` machine with a 1 s TimeoutSeconds (photo 600 s, text 300 s as deployed), its first
   * task slower than that, on a host that reports ends as `reporting` says: the job, RUNNING in the
   * table, must end TIMED_OUT through that path alone.
   */
  const timesOutAndIsRecorded = async (
    type: 'text' | 'photo',
    source: Record<string, unknown>,
    reporting: Pick<StepFunctionsHostOptions, 'executionEvents' | 'logSubscriptions'>,
  ) => {
    const timed = machine(type)
    const slowHost = await startStepFunctionsHost({
      model: { ...model, machines: [{ ...timed, definition: { ...timed.definition, TimeoutSeconds: 1 } }] },
      serviceDir,
      region: cloud.region,
      env: cloud.functionEnv,
      ...reporting,
      interceptor: async ({ invoke }) => {
        await new Promise((resolve) => setTimeout(resolve, 3_000))
        return invoke()
      },
    })
    try {
      const job = newJob()
      await stores.db.send(
        new PutCommand({
          TableName: names.jobsTable,
          Item: { ...job, workflow: type, status: 'RUNNING', createdAt: new Date().toISOString() },
        }),
      )
      const execution = await slowHost.startExecution({
        stateMachineArn: timed.arn,
        name: job.jobId,
        input: JSON.stringify({ ...job, source }),
      }).done
      expect(execution).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' })
      const recorded = await eventually(
        `job ${job.jobId} to be TIMED_OUT`,
        () => item(job.jobId),
        (found) => found?.status !== 'RUNNING',
      )
      expect(recorded).toMatchObject({ status: 'TIMED_OUT', error: { name: 'States.Timeout' } })
      expect(recorded?.finishedAt).toEqual(expect.any(String))
    } finally {
      await slowHost.stop()
    }
  }

  it('records a machine-level timeout on the job through the packaged EventBridge rule and its function', async () => {
    // The rule as packaged: Step Functions' status changes of the photo machine -> recordExecutionStatus.
    const [rule] = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Events::Rule')
    expect(rule?.Properties).toMatchObject({
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
      },
    })
    const target = (rule!.Properties!.Targets as { Arn: { 'Fn::GetAtt': [string, string] } }[])[0]!
    await timesOutAndIsRecorded(
      'photo',
      { bucket: names.uploadsBucket, key: 'photos/slow.jpg' },
      {
        executionEvents: {
          functionId: target.Arn['Fn::GetAtt'][0],
          statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'],
        },
      },
    )
  })

  it('records a text machine timeout (Express: no status events) through the packaged log subscription and its function', async () => {
    // As packaged: the text machine's log group -> a filter on the terminal types -> recordExecutionStatus,
    // with the permission CloudWatch Logs invokes it under, created before the filter.
    const subscriptions = logSubscriptionsOf(template.Resources)
    expect(subscriptions).toEqual([
      expect.objectContaining({
        logGroup: machine('text').logGroup,
        functionId: 'RecordExecutionStatusLambdaFunction',
        types: ['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted'],
      }),
    ])
    const [permission] = Object.entries(template.Resources).filter(
      ([, r]) => r.Type === 'AWS::Lambda::Permission' && r.Properties?.Principal === 'logs.amazonaws.com',
    )
    expect(permission?.[1].Properties).toMatchObject({
      FunctionName: { 'Fn::GetAtt': ['RecordExecutionStatusLambdaFunction', 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [machine('text').logGroup, 'Arn'] },
    })
    expect([template.Resources[subscriptions[0]!.logicalId]?.DependsOn].flat()).toContain(permission?.[0])
    await timesOutAndIsRecorded(
      'text',
      { kind: 'inline', text: 'slow words' },
      { logSubscriptions: subscriptions },
    )
  })
})
