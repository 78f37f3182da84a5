import { redactEmailAddresses } from '@app/domain/subscribers'
import { flushMetrics, logger, MetricUnit, metrics } from '@app/runtime/observability'
import type { UncertainReason } from '../ports'

/** An error as logs may show it: no email address (SES quotes them), keys name messages by id. */
const loggable = (error: unknown) =>
  error instanceof Error
    ? { name: error.name, message: redactEmailAddresses(error.message) }
    : { name: 'unknown', message: redactEmailAddresses(String(error)) }

/**
 * What every sender reports of a message that may be out but is not recorded `sent`: a log line
 * (no address) and one `UncertainSends`, which an alarm watches (serverless.yml); nobody resends it.
 */
export const uncertainSendReports = {
  onUnrecordedSend: (key: string, messageId: string, error: unknown) => {
    logger.error('Email sent but not recorded in the ledger', { key, messageId, error: loggable(error) })
    metrics.addMetric('UncertainSends', MetricUnit.Count, 1)
    flushMetrics()
  },
  onUncertain: (key: string, reason: UncertainReason, error?: unknown) => {
    logger.error('Email outcome unknown: it is never resent', {
      key,
      reason,
      ...(error === undefined ? {} : { error: loggable(error) }),
    })
    metrics.addMetric('UncertainSends', MetricUnit.Count, 1)
    flushMetrics()
  },
}
