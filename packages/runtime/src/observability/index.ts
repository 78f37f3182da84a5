import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'

/**
 * The one logger and metrics emitter for the whole repo. Service name comes from
 * POWERTOOLS_SERVICE_NAME (set per service in serverless.yml); log level from POWERTOOLS_LOG_LEVEL.
 * JSON lines carry the request id and cold-start flag once `injectLambdaContext` runs (http stack).
 */
export const logger = new Logger()

/** Business metrics as CloudWatch EMF; namespace from POWERTOOLS_METRICS_NAMESPACE. */
export const metrics = new Metrics({ defaultDimensions: { stage: process.env.STAGE ?? 'dev' } })

export { MetricUnit } from '@aws-lambda-powertools/metrics'

/**
 * Writes the stored metrics (one EMF line) after an invocation. Nothing stored writes nothing, as
 * `publishStoredMetrics` does, minus its warning: an invocation without business metrics is normal
 * here, and the warning was one log line per batch and per step (hundreds per test run).
 */
export const flushMetrics = () => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics()
}
