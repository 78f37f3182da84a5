import { gzipSync } from 'node:zlib'
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ENV, handlerUnderTest, updates } from '../../testing/functions'

const { aws, invoke } = await handlerUnderTest('recordExecutionStatus', () => import('./handler'))

const event = (status: string, error: string | null = null) => ({
  version: '0',
  id: 'e1',
  'detail-type': 'Step Functions Execution Status Change',
  source: 'aws.states',
  account: '123456789012',
  time: '2026-01-01T00:10:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:states:us-east-1:123456789012:execution:workflows-test-photo:job-1'],
  detail: {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:workflows-test-photo:job-1',
    stateMachineArn: ENV.PHOTO_STATE_MACHINE_ARN,
    name: 'job-1',
    status,
    startDate: 1,
    stopDate: 2,
    input: '{}',
    output: null,
    error,
    cause: null,
  },
})

const textExecution = (jobId: string) =>
  `arn:aws:states:us-east-1:123456789012:express:workflows-test-text:${jobId}:7c1d6f0e-3b5a-4a8e-9f57-2d6c0b4e1a90`

/** One execution history event as Step Functions logs it (level ALL, execution data excluded). */
const historyEvent = (type: string, jobId: string, details: Record<string, unknown> = {}) => ({
  id: '12',
  type,
  details,
  previous_event_id: '11',
  event_timestamp: '1767226200000',
  execution_arn: textExecution(jobId),
  redrive_count: '0',
})

/** What a CloudWatch Logs subscription delivers to Lambda: base64 of gzipped JSON. */
const subscription = (messages: unknown[], messageType = 'DATA_MESSAGE') => ({
  awslogs: {
    data: gzipSync(
      JSON.stringify({
        messageType,
        owner: '123456789012',
        logGroup: '/aws/vendedlogs/states/workflows-test-text',
        logStream: 'states/workflows-test-text/2026-01-01-00-10/5f1e',
        subscriptionFilters: ['workflows-test-TextPipelineEnds'],
        logEvents: messages.map((message, index) => ({
          id: String(index),
          timestamp: 1767226200000,
          message: typeof message === 'string' ? message : JSON.stringify(message),
        })),
      }),
    ).toString('base64'),
  },
})

describe('recordExecutionStatus handler', () => {
  it('records a machine timeout on the job item of the configured table, only while it is RUNNING', async () => {
    expect(await invoke(event('TIMED_OUT', 'States.Timeout'))).toEqual({ recorded: 1 })
    expect(updates(aws.db)).toMatchObject([
      {
        table: ENV.JOBS_TABLE,
        key: { jobId: 'job-1' },
        values: { ':status': 'TIMED_OUT', ':running': 'RUNNING', ':error': { name: 'States.Timeout' } },
      },
    ])
    expect(aws.db.commandCalls(UpdateCommand)[0]?.args[0].input.ConditionExpression).toBe(
      '#status = :running',
    )
  })

  it('is a no-op for a job no longer RUNNING (a repeated event, or a state recorded the outcome)', async () => {
    aws.db.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))
    expect(await invoke(event('ABORTED'))).toEqual({ recorded: 0 })
  })

  it('refuses events that are not a terminal status change', async () => {
    await expect(invoke(event('SUCCEEDED'))).rejects.toThrow()
    expect(updates(aws.db)).toEqual([])
  })

  describe('text machine (Express: its log group subscription, no status change events)', () => {
    it('records a machine timeout, an abort and a failure, each on its job by the name in the execution ARN', async () => {
      const result = await invoke(
        subscription([
          historyEvent('ExecutionTimedOut', 'job-t', { error: 'States.Timeout' }),
          historyEvent('ExecutionAborted', 'job-a'),
          historyEvent('ExecutionFailed', 'job-f', { error: 'States.Runtime', cause: 'bad JSONPath' }),
        ]) as never,
      )
      expect(result).toEqual({ recorded: 3 })
      expect(updates(aws.db)).toMatchObject([
        {
          table: ENV.JOBS_TABLE,
          key: { jobId: 'job-t' },
          values: { ':status': 'TIMED_OUT', ':running': 'RUNNING', ':error': { name: 'States.Timeout' } },
        },
        { key: { jobId: 'job-a' }, values: { ':status': 'ABORTED', ':error': { name: 'States.Aborted' } } },
        {
          key: { jobId: 'job-f' },
          values: { ':status': 'FAILED', ':error': { name: 'States.Runtime', message: 'bad JSONPath' } },
        },
      ])
      for (const call of aws.db.commandCalls(UpdateCommand))
        expect(call.args[0].input.ConditionExpression).toBe('#status = :running')
    })

    it('is a no-op for a job no longer RUNNING (a repeated delivery, or RecordFailure got there first)', async () => {
      aws.db.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))
      expect(await invoke(subscription([historyEvent('ExecutionTimedOut', 'job-1')]) as never)).toEqual({
        recorded: 0,
      })
    })

    it('ignores history events that end no execution, and CloudWatch control messages', async () => {
      const passing = [
        historyEvent('ExecutionStarted', 'job-1'),
        historyEvent('TaskStateEntered', 'job-1'),
        historyEvent('ExecutionSucceeded', 'job-1'),
      ]
      expect(await invoke(subscription(passing) as never)).toEqual({ recorded: 0 })
      expect(await invoke(subscription([], 'CONTROL_MESSAGE') as never)).toEqual({ recorded: 0 })
      expect(updates(aws.db)).toEqual([])
    })

    it('refuses a malformed delivery (not base64 gzip JSON, a message not JSON, no execution ARN) and records nothing', async () => {
      const malformed = [
        { awslogs: { data: 'not base64!' } },
        { awslogs: { data: Buffer.from('{"messageType":"DATA_MESSAGE"}').toString('base64') } },
        subscription(['ExecutionTimedOut job-1']),
        subscription([{ ...historyEvent('ExecutionTimedOut', 'job-1'), execution_arn: 'job-1' }]),
        subscription([{ type: 'ExecutionTimedOut' }]),
      ]
      for (const event of malformed)
        await expect(invoke(event as never)).rejects.toMatchObject({
          name: 'ValidationError',
          message: expect.stringContaining('/event/awslogs/data'),
        })
      expect(updates(aws.db)).toEqual([])
    })

    it('records at most one end per terminal event, or refuses the delivery as invalid, whatever it carries (fuzz)', async () => {
      const terminal = new Set(['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted'])
      const message = fc.oneof(
        fc.string(),
        fc.jsonValue(),
        fc
          .record({
            type: fc.oneof(fc.constantFrom(...terminal, 'ExecutionStarted', 'TaskFailed'), fc.string()),
            jobId: fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
            details: fc.option(fc.dictionary(fc.constantFrom('error', 'cause', 'x'), fc.jsonValue())),
          })
          .map(({ type, jobId, details }) => ({ ...historyEvent(type, jobId), details })),
      )
      await fc.assert(
        fc.asyncProperty(fc.array(message, { maxLength: 5 }), async (messages) => {
          aws.db.resetHistory()
          const outcome = await invoke(subscription(messages) as never).then(
            (result) => result,
            (error: Error) => error,
          )
          if (outcome instanceof Error) {
            expect(outcome.name).toBe('ValidationError')
            expect(updates(aws.db)).toEqual([])
            return
          }
          const ends = messages.filter(
            (m) => typeof m === 'object' && m !== null && terminal.has((m as { type?: string }).type ?? ''),
          )
          expect(updates(aws.db).length).toBeLessThanOrEqual(ends.length)
          expect(outcome.recorded).toBe(updates(aws.db).length)
        }),
        { numRuns: 200 },
      )
    })
  })
})
