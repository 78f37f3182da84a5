import { parseOrThrow } from '@app/domain'
import type { Context } from 'aws-lambda'
import type { z } from 'zod'
import { flushMetrics, logger } from '../observability'

export interface StepOptions {
  /**
   * What a failure becomes for the machine's `Retry`/`Catch`, which match errors by name only: the
   * service's classification (e.g. whatever another attempt may fix becomes the error its `Retry`
   * lists). Without it a failure reaches the machine as thrown (a non-Error wrapped in one).
   */
  readonly classify?: (error: unknown) => Error
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)))

/**
 * A Step Functions task (`lambda:invoke`): validates the state it receives (a `ValidationError`,
 * which no retry can fix), runs the use case, and hands failures to the machine classified. As
 * the HTTP and batch wrappers do: the logger gets the invocation's context, and the metrics are
 * flushed after every invocation. `name` is the function's key in serverless.yml, the logs' `step`
 * (with the state's `jobId` when it has one). The returned value becomes the next state
 * (`OutputPath: $.Payload`). Its own entry point (`@app/runtime/step`), like `@app/runtime/batch`.
 */
export const defineStep =
  <S extends z.ZodType, R>(
    name: string,
    schema: S,
    run: (input: z.output<S>) => Promise<R>,
    options: StepOptions = {},
  ) =>
  async (event: unknown, context: Context): Promise<R> => {
    const jobId = (event as { jobId?: unknown } | null)?.jobId
    logger.addContext(context)
    logger.appendKeys({ step: name, ...(typeof jobId === 'string' ? { jobId } : {}) })
    try {
      return await run(parseOrThrow(schema, event, 'input'))
    } catch (error) {
      const classified = (options.classify ?? asError)(error)
      logger.warn('Step failed', { errorName: classified.name, error: classified })
      throw classified
    } finally {
      logger.removeKeys(['step', 'jobId'])
      flushMetrics()
    }
  }
