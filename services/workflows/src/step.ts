import { parseOrThrow } from '@app/domain'
import { flushMetrics, logger } from '@app/runtime/observability'
import type { Context } from 'aws-lambda'
import type { z } from 'zod'
import { toStepError } from './errors'

/**
 * Wraps one state machine step: validates the state it receives (a `ValidationError` is final,
 * never retried), runs the use case, and classifies failures for the machine's Retry/Catch.
 * The returned value becomes the next state (`OutputPath: $.Payload`). `name` is the function's key
 * in serverless.yml (the logs' `step`); metrics are flushed after every step, as every handler does.
 */
export const defineStep =
  <S extends z.ZodType, R>(name: string, schema: S, run: (input: z.output<S>) => Promise<R>) =>
  async (event: unknown, context?: Context): Promise<R> => {
    const jobId = (event as { jobId?: unknown } | null)?.jobId
    logger.appendKeys({ step: name, ...(typeof jobId === 'string' ? { jobId } : {}) })
    if (context) logger.addContext(context)
    try {
      return await run(parseOrThrow(schema, event, 'input'))
    } catch (error) {
      const classified = toStepError(error)
      logger.warn('Step failed', { errorName: classified.name, error: classified })
      throw classified
    } finally {
      logger.removeKeys(['step', 'jobId'])
      flushMetrics()
    }
  }
