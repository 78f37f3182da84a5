import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
export const l = new Logger()
export const m = new Metrics({ namespace: 'x' })
