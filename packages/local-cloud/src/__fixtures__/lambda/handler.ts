/**
 * A handler for the local Lambda runtime's tests (../../lambda/runtime.test.ts): configuration read
 * at module scope and the repo's one logger and metrics emitter, as every real handler has them.
 */
import { logger, MetricUnit, metrics } from '@app/runtime/observability'
import type { Context } from 'aws-lambda'

const atImport = process.env.FIXTURE_VALUE
// A missing setting fails the init, as `readConfig` does at cold start.
if (!atImport) throw new Error('FIXTURE_VALUE is not set')

export const handler = async (event: { fail?: string }, context: Context) => {
  logger.addContext(context)
  if (event.fail) {
    const error = new Error(event.fail)
    error.name = 'FixtureError'
    throw error
  }
  logger.info('Fixture invoked')
  metrics.addMetric('FixtureInvocations', MetricUnit.Count, 1)
  metrics.publishStoredMetrics()
  return {
    atImport,
    functionName: context.functionName,
    memoryLimitInMB: context.memoryLimitInMB,
    remainingMs: context.getRemainingTimeInMillis(),
    lambdaName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    fromRunner: process.env.LOCAL_CLOUD_RUNTIME_TEST ?? null,
    when: new Date(0),
  }
}
