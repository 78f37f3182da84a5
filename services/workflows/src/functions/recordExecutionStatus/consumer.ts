import { parseOrThrow } from '@app/domain'
import { flushMetrics, logger } from '@app/runtime/observability'
import type { Context } from 'aws-lambda'
import { z } from 'zod'
import type { JobRepository } from '../../ports'
import { recordExecutionEnd } from '../../use-cases/jobs'

/** EventBridge's "Step Functions Execution Status Change" event, the parts we use (the execution name is the job id). */
export const statusChange = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string(),
    name: z.string().min(1),
    status: z.enum(['FAILED', 'TIMED_OUT', 'ABORTED']),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
})

/**
 * Rule on the photo machine's terminal statuses (serverless.yml): records TIMED_OUT, ABORTED or
 * FAILED on a job still RUNNING (a machine timeout or an abort runs no state, so no Catch records
 * them). Idempotent: a repeated event, or one for a job a state already finished, changes nothing.
 * A throw is retried by Lambda's async invocation, then lands in the DLQ.
 */
export const createConsumer =
  (ports: { jobs: JobRepository }) =>
  async (event: unknown, context: Context): Promise<{ recorded: boolean }> => {
    logger.addContext(context)
    try {
      const { detail } = parseOrThrow(statusChange, event, 'event')
      const recorded = await recordExecutionEnd(ports.jobs, {
        jobId: detail.name,
        status: detail.status,
        error: detail.error ?? undefined,
        cause: detail.cause ?? undefined,
      })
      logger.info(recorded ? 'Execution end recorded' : 'Execution end already recorded', {
        jobId: detail.name,
        executionArn: detail.executionArn,
        status: detail.status,
        errorName: detail.error,
      })
      return { recorded }
    } finally {
      flushMetrics()
    }
  }
