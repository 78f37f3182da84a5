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
