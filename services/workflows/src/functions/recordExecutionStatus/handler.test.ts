import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
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

describe('recordExecutionStatus handler', () => {
  it('records a machine timeout on the job item of the configured table, only while it is RUNNING', async () => {
    expect(await invoke(event('TIMED_OUT', 'States.Timeout'))).toEqual({ recorded: true })
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
    expect(await invoke(event('ABORTED'))).toEqual({ recorded: false })
  })

  it('refuses events that are not a terminal status change', async () => {
    await expect(invoke(event('SUCCEEDED'))).rejects.toThrow()
    expect(updates(aws.db)).toEqual([])
  })
})
