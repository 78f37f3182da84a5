import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { type CfnTemplate, functionLogicalId } from '@app/cloudformation'
import {
  DescribeExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  logSubscriptionsOf,
  modelFromPrinted,
  modelFromTemplate,
  type PrintedConfig,
  type StepFunctionsHost,
  startStepFunctionsHost,
} from './step-functions'

// A fixture service: handlers as plain .mjs files, a printed config and the template
// serverless-step-functions would emit for it.
const dir = mkdtempSync(join(tmpdir(), 'sfn-host-'))
// Each function runs in a sandbox of its own (a worker thread): what a handler records, it writes here.
const recordsFile = join(dir, 'records.jsonl')
const handlers: Record<string, string> = {
  // Configuration is read at module scope, as our handlers do: the function's environment is in place before import.
  double: `const table = process.env.TABLE
const lambda = process.env.AWS_LAMBDA_FUNCTION_NAME
export const handler = async (event) => ({ ...event, value: event.value * 2, table, lambda })`,
  // Fails with TransientError on the first `event.failTimes` calls per job, then succeeds.
  flaky: `const calls = new Map()
export const handler = async (event) => {
  const n = (calls.get(event.id) ?? 0) + 1
  calls.set(event.id, n)
  if (n <= (event.failTimes ?? 0)) { const e = new Error('throttled ' + n); e.name = 'TransientError'; throw e }
  return { ...event, attempts: n }
}`,
  fatal: `export const handler = async (event) => { if (event.bad) { const e = new Error('bad input: ' + event.bad); e.name = 'ValidationError'; throw e } return event }`,
  left: `export const handler = async (event) => ({ branch: 'left', value: event.value })`,
  right: `export const handler = async (event) => ({ branch: 'right', value: -event.value })`,
  record: `import { appendFileSync } from 'node:fs'
export const handler = async (event) => { appendFileSync(${JSON.stringify(recordsFile)}, JSON.stringify(event) + '\\n'); return { recorded: true } }`,
}

const task = (fn: string, next?: string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] }, 'Payload.$': '$' },
  OutputPath: '$.Payload',
  ...(next ? { Next: next } : { End: true }),
  ...extra,
})
const retry = [
  {
    ErrorEquals: ['TransientError'],
    IntervalSeconds: 30,
    BackoffRate: 2,
    MaxAttempts: 3,
    JitterStrategy: 'FULL',
  },
]
const catchAll = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Record' }]

const definition = {
  StartAt: 'Double',
  States: {
    Double: task('double', 'Flaky', { Retry: retry, Catch: catchAll }),
    Flaky: task('flaky', 'Fatal', { Retry: retry, Catch: catchAll }),
    Fatal: task('fatal', 'Both', { Retry: retry, Catch: catchAll }),
    Both: {
      Type: 'Parallel',
      ResultPath: '$.branches',
      Catch: catchAll,
      Branches: [
        { StartAt: 'Left', States: { Left: task('left') } },
        { StartAt: 'Right', States: { Right: task('right') } },
      ],
      End: true,
    },
    Record: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: {
        FunctionName: { 'Fn::GetAtt': [functionLogicalId('record'), 'Arn'] },
        'Payload.$': '$.failure',
      },
      ResultPath: null,
      Next: 'Failed',
    },
    Failed: { Type: 'Fail', ErrorPath: '$.failure.Error', CausePath: '$.failure.Cause' },
  },
}

const printed: PrintedConfig = {
  service: 'fixture',
  provider: {
    stage: 'test',
    environment: { TABLE: 'fixture-test-table', SKIPPED: { Ref: 'SomethingNotLocal' } },
  },
  functions: Object.fromEntries(
    Object.keys(handlers).map((name) => [name, { handler: `handlers/${name}.handler` }]),
  ),
  stepFunctions: {
    stateMachines: {
      main: { id: 'Main', name: 'fixture-test-main', type: 'STANDARD', definition },
      // AWS reads TimeoutSecondsPath from the state input; the library from the Parameters output.
      timed: {
        name: 'fixture-test-timed',
        type: 'EXPRESS',
        definition: {
          StartAt: 'Timed',
          States: { Timed: task('double', undefined, { TimeoutSecondsPath: '$.budget.seconds' }) },
        },
      },
    },
  },
}

/** The same service as serverless-step-functions packages it: Fn::Sub placeholders, QueryLanguage defaults. */
const packaged = (): CfnTemplate => {
  const variables: Record<string, unknown> = {}
  const json = JSON.stringify(definition, (_key, value) => {
    if (value && typeof value === 'object' && 'Fn::GetAtt' in value) {
      const [id] = value['Fn::GetAtt'] as [string]
      const logicalId = id.endsWith('LambdaFunction') ? id : functionLogicalId(id)
      const placeholder = `p${Object.keys(variables).length}`
      variables[placeholder] = { 'Fn::GetAtt': [logicalId, 'Arn'] }
      return `\${${placeholder}}`
    }
    if (value && typeof value === 'object' && value.Type && !value.QueryLanguage && value.Type !== 'Parallel')
      return { ...value, QueryLanguage: 'JSONPath' }
    return value
  })
  const resources: CfnTemplate['Resources'] = {
    Main: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        StateMachineName: 'fixture-test-main',
        StateMachineType: 'STANDARD',
        DefinitionString: { 'Fn::Sub': [json, variables] },
      },
    },
  }
  for (const name of Object.keys(handlers)) {
    resources[functionLogicalId(name)] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: `fixture-test-${name}`,
        Handler: `handlers/${name}.handler`,
        MemorySize: 256,
        Timeout: 30,
        Environment: { Variables: { TABLE: 'fixture-test-table', SKIPPED: { Ref: 'SomethingNotLocal' } } },
      },
    }
  }
  return { Resources: resources }
}

let host: StepFunctionsHost
let sfn: SFNClient
const machineArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:fixture-test-main'

beforeAll(async () => {
  mkdirSync(join(dir, 'handlers'))
  for (const [name, code] of Object.entries(handlers))
    writeFileSync(join(dir, 'handlers', `${name}.mjs`), code)
  host = await startStepFunctionsHost({ model: modelFromPrinted(printed), serviceDir: dir, retryDelayMs: 1 })
  sfn = new SFNClient({
    region: 'us-east-1',
    endpoint: host.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  })
})

afterAll(async () => {
  sfn?.destroy()
  await host?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const run = async (input: Record<string, unknown>) => {
  const execution = host.startExecution({ stateMachineArn: machineArn, input: JSON.stringify(input) })
  return execution.done
}

describe('definition sources', () => {
  it('reads the same definition and task mapping from sls print and from the packaged template', () => {
    const fromPrint = modelFromPrinted(printed)
    const fromTemplate = modelFromTemplate(packaged())
    expect(fromTemplate.machines).toEqual(
      fromPrint.machines.filter((machine) => machine.name === 'fixture-test-main'),
    )
    expect(fromPrint.machines[0]?.tasks).toMatchObject({
      Double: 'DoubleLambdaFunction',
      Left: 'LeftLambdaFunction',
    })
  })

  it('keeps locally renderable environment values and drops references to resources not present', () => {
    const fn = modelFromTemplate(packaged()).functions.get('DoubleLambdaFunction')
    expect(fn?.environment).toEqual({ TABLE: 'fixture-test-table' })
    expect(fn).toMatchObject({ memorySize: 256, timeoutSeconds: 30 })
  })
})

// A function's first invocation starts its sandbox (a worker importing the handler): cold starts
// of a few seconds each on a busy machine, so these tests allow more than vitest's default.
const coldStarts = { timeout: 60_000 }

describe('executions with real handlers', coldStarts, () => {
  it('unwraps Payload for the handler and wraps its result as the Lambda integration does', async () => {
    const execution = await run({ id: 'happy', value: 21 })
    expect(execution.status).toBe('SUCCEEDED')
    const output = JSON.parse(execution.output!)
    expect(output).toMatchObject({
      value: 42,
      table: 'fixture-test-table',
      lambda: 'fixture-test-double',
      attempts: 1,
    })
    expect(output.branches).toEqual([
      { branch: 'left', value: 42 },
      { branch: 'right', value: -42 },
    ])
  })

  it('retries a transient failure with the shortened interval and then succeeds', async () => {
    const execution = await run({ id: 'flaky', value: 1, failTimes: 2 })
    expect(execution.status).toBe('SUCCEEDED')
    expect(execution.attempts.Flaky).toBe(3)
    expect(JSON.parse(execution.output!).attempts).toBe(3)
  })

  it('gives up after MaxAttempts and catches into the failure state', async () => {
    const execution = await run({ id: 'exhausted', value: 1, failTimes: 10 })
    expect(execution.attempts.Flaky).toBe(4)
    expect(execution).toMatchObject({ status: 'FAILED', error: 'TransientError' })
  })

  it('does not retry a fatal error and hands the failure state AWS-shaped Error and Cause', async () => {
    const execution = await run({ id: 'fatal', value: 1, bad: 'nope' })
    expect(execution.attempts.Fatal).toBe(1)
    expect(execution.status).toBe('FAILED')
    expect(execution.error).toBe('ValidationError')
    expect(JSON.parse(execution.cause!)).toEqual({
      errorType: 'ValidationError',
      errorMessage: 'bad input: nope',
    })
    const records = readFileSync(recordsFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(records).toContainEqual({ Error: 'ValidationError', Cause: execution.cause })
  })

  it('lets a test interceptor inject a Lambda service fault, caught when Retry does not list it', async () => {
    const faulty = await startStepFunctionsHost({
      model: modelFromTemplate(packaged()),
      serviceDir: dir,
      retryDelayMs: 1,
      interceptor: async ({ stateName, attempt, invoke }) => {
        if (stateName === 'Double' && attempt === 1) {
          const error = new Error('Rate exceeded')
          error.name = 'Lambda.TooManyRequestsException'
          throw error
        }
        return invoke()
      },
    })
    try {
      const execution = await faulty.startExecution({
        stateMachineArn: machineArn,
        input: '{"id":"svc","value":2}',
      }).done
      // The fixture's Retry only lists TransientError: a Lambda fault it does not list is caught.
      expect(execution).toMatchObject({ status: 'FAILED', error: 'Lambda.TooManyRequestsException' })
      expect(execution.attempts.Double).toBe(1)
    } finally {
      await faulty.stop()
    }
  })
})

describe('TimeoutSecondsPath', coldStarts, () => {
  it('is read from the state input, as AWS does, not from the Parameters output', async () => {
    const timed = modelFromPrinted(printed).machines.find((machine) => machine.name === 'fixture-test-timed')!
    expect((timed.definition.States.Timed as { TimeoutSecondsPath?: string }).TimeoutSecondsPath).toBe(
      '$.budget.seconds',
    )
    const execution = await host.startExecution({
      stateMachineArn: timed.arn,
      input: '{"value":4,"budget":{"seconds":5}}',
    }).done
    expect(execution.status).toBe('SUCCEEDED')
    expect(execution.executionArn).toMatch(/:express:fixture-test-timed:/)
    expect(JSON.parse(execution.output!).value).toBe(8)
  })
})

describe('Step Functions JSON protocol', coldStarts, () => {
  it('starts and describes executions through @aws-sdk/client-sfn', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: machineArn,
        name: 'via-sdk',
        input: '{"id":"sdk","value":5}',
      }),
    )
    expect(started.executionArn).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:fixture-test-main:via-sdk',
    )
    await host.describeExecution(started.executionArn!)!.done
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }))
    expect(described.status).toBe('SUCCEEDED')
    expect(JSON.parse(described.output!).value).toBe(10)
    expect(described.startDate).toBeInstanceOf(Date)
    expect(described.stopDate!.getTime()).toBeGreaterThanOrEqual(described.startDate!.getTime())
  })

  it('answers AWS error types the SDK maps to its exception classes', async () => {
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}-missing`, input: '{}' })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist)
    await expect(
      sfn.send(
        new StartExecutionCommand({ stateMachineArn: machineArn, name: 'via-sdk', input: '{"other":1}' }),
      ),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' })
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${machineArn}:nope` })),
    ).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    })
  })
})

type PrintedMachine = NonNullable<NonNullable<PrintedConfig['stepFunctions']>['stateMachines']>[string]

/** The fixture service with `machine` as its only state machine. */
const onlyMachine = (machine: PrintedMachine): PrintedConfig => ({
  ...printed,
  stepFunctions: { stateMachines: { only: machine } },
})

/** What the `record` function was invoked with, in order (its sandbox appends each event to the file). */
const recordedEvents = () =>
  readFileSync(recordsFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

/** An execution of the host's only machine that its 1 s TimeoutSeconds ends (no Catch sees it). */
const timesOut = async (on: StepFunctionsHost, input: string) => {
  const arn = on.machines[0]!.arn
  const timedOut = await on.startExecution({ stateMachineArn: arn, name: 'times-out', input }).done
  expect(timedOut).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' })
  return { arn, timedOut }
}

describe('execution status change events', coldStarts, () => {
  it('enforces the machine-level TimeoutSeconds and sends terminal statuses to the events function as EventBridge does', async () => {
    const slow = onlyMachine({
      name: 'fixture-test-slow',
      type: 'STANDARD',
      definition: {
        TimeoutSeconds: 1,
        StartAt: 'Wait',
        States: { Wait: { Type: 'Wait', Seconds: 30, End: true } },
      },
    })
    const events = await startStepFunctionsHost({
      model: modelFromPrinted(slow),
      serviceDir: dir,
      executionEvents: { functionId: functionLogicalId('record') },
    })
    try {
      const { arn, timedOut } = await timesOut(events, '{}')
      const stopping = events.startExecution({ stateMachineArn: arn, name: 'stopped', input: '{}' })
      await new Promise((resolve) => setTimeout(resolve, 200))
      events.stopExecution(stopping.executionArn)
      expect((await stopping.done).status).toBe('ABORTED')
      await events.stop()
      const recorded = recordedEvents().filter((event) => event.source === 'aws.states')
      expect(recorded).toEqual([
        expect.objectContaining({
          'detail-type': 'Step Functions Execution Status Change',
          resources: [timedOut.executionArn],
          detail: expect.objectContaining({ name: 'times-out', status: 'TIMED_OUT', stateMachineArn: arn }),
        }),
        expect.objectContaining({ detail: expect.objectContaining({ name: 'stopped', status: 'ABORTED' }) }),
      ])
    } finally {
      await events.stop()
    }
  })
})

describe('Express executions: their ends through a log group subscription', coldStarts, () => {
  it('delivers a machine timeout and a failure outside any Catch, not a success, to the subscription filter destination as CloudWatch Logs does', async () => {
    // Express executions send no status change events (and cannot be stopped: StopExecution is
    // Standard's): only their log reaches a function in AWS.
    const express = onlyMachine({
      name: 'fixture-test-quick',
      type: 'EXPRESS',
      loggingConfig: { destinations: [{ 'Fn::GetAtt': ['QuickLog', 'Arn'] }] },
      definition: {
        TimeoutSeconds: 1,
        StartAt: 'Slow?',
        States: {
          'Slow?': {
            Type: 'Choice',
            Choices: [
              { Variable: '$.mode', StringEquals: 'slow', Next: 'Wait' },
              { Variable: '$.mode', StringEquals: 'fail', Next: 'Boom' },
            ],
            Default: 'Done',
          },
          Wait: { Type: 'Wait', Seconds: 30, End: true },
          Boom: { Type: 'Fail', Error: 'Boom', Cause: 'no Catch' },
          Done: { Type: 'Succeed' },
        },
      },
    })
    const resources = {
      QuickLog: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/vendedlogs/states/quick' } },
      QuickEnds: {
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: {
          LogGroupName: { Ref: 'QuickLog' },
          FilterPattern:
            '{ $.type = "ExecutionFailed" || $.type = "ExecutionTimedOut" || $.type = "ExecutionAborted" }',
          DestinationArn: { 'Fn::GetAtt': [functionLogicalId('record'), 'Arn'] },
        },
      },
    }
    const logs = await startStepFunctionsHost({
      model: modelFromPrinted(express),
      serviceDir: dir,
      logSubscriptions: logSubscriptionsOf(resources),
    })
    try {
      const { arn, timedOut } = await timesOut(logs, '{"mode":"slow"}')
      const run = (name: string, mode: string) =>
        logs.startExecution({ stateMachineArn: arn, name, input: JSON.stringify({ mode }) }).done
      const failed = await run('fails', 'fail')
      expect(failed.status).toBe('FAILED')
      expect((await run('succeeds', 'done')).status).toBe('SUCCEEDED')
      await logs.stop()
      const delivered = recordedEvents()
        .filter((event): event is { awslogs: { data: string } } => 'awslogs' in event)
        .map((event) => JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')))
      expect(delivered).toEqual([
        expect.objectContaining({ messageType: 'DATA_MESSAGE', logGroup: '/aws/vendedlogs/states/quick' }),
        expect.objectContaining({ messageType: 'DATA_MESSAGE', logGroup: '/aws/vendedlogs/states/quick' }),
      ])
      const messages = delivered.map(
        (document: { logEvents: { message: string }[] }) =>
          document.logEvents.map(({ message }) => JSON.parse(message))[0],
      )
      expect(messages).toEqual([
        expect.objectContaining({
          type: 'ExecutionTimedOut',
          execution_arn: timedOut.executionArn,
          details: expect.objectContaining({ error: 'States.Timeout' }),
        }),
        expect.objectContaining({
          type: 'ExecutionFailed',
          execution_arn: failed.executionArn,
          details: { error: 'Boom', cause: 'no Catch' },
        }),
      ])
      // Express execution ARNs carry the execution name (the job id) as their eighth field.
      expect(messages[0].execution_arn).toMatch(
        /^arn:aws:states:[^:]+:\d+:express:fixture-test-quick:times-out:/,
      )
    } finally {
      await logs.stop()
    }
  })

  it('refuses at start-up a filter pattern it cannot evaluate, rather than matching it wrongly', () => {
    expect(() =>
      logSubscriptionsOf({
        Log: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'x' } },
        Filter: {
          Type: 'AWS::Logs::SubscriptionFilter',
          Properties: {
            LogGroupName: { Ref: 'Log' },
            FilterPattern: '{ $.type = "ExecutionFailed" && $.redrive_count = "0" }',
            DestinationArn: { 'Fn::GetAtt': ['RecordLambdaFunction', 'Arn'] },
          },
        },
      }),
    ).toThrow(/not understood locally/)
  })
})
