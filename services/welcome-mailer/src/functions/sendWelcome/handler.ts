import { randomUUID } from 'node:crypto'
import { createSubscriptionTokens, redactEmailAddresses } from '@app/domain/subscribers'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { flushMetrics, logger, MetricUnit, metrics } from '@app/runtime/observability'
import { createSesClient } from '@app/runtime/ses'
import { dynamoSentLedger } from '../../adapters/dynamo-ledger'
import { sesMailer } from '../../adapters/ses-mailer'
import { sendWelcomeConfigSchema } from '../../config'
import { createConsumer } from './consumer'

/**
 * `sendWelcome`: subscribers stream (INSERTs, MODIFYs) -> one confirmation email per confirmation
 * round of a pending subscriber (double opt-in), one welcome per confirmed subscriber.
 * Config, AWS clients and adapters are set up here only, once per container.
 */
const config = readConfig(sendWelcomeConfigSchema)

/** An error as logs may show it: no email address (SES quotes them), keys name messages by id. */
const loggable = (error: unknown) =>
  error instanceof Error
    ? { name: error.name, message: redactEmailAddresses(error.message) }
    : { name: 'unknown', message: redactEmailAddresses(String(error)) }

export const handler = createConsumer({
  mailer: sesMailer(createSesClient(config), {
    from: config.SENDER_ADDRESS,
    configurationSet: config.SES_CONFIGURATION_SET,
  }),
  ledger: dynamoSentLedger(createDocumentClient(config), config.SENT_LEDGER_TABLE_NAME),
  clock: { now: () => new Date() },
  newClaimId: randomUUID,
  site: { url: config.SITE_URL, name: config.SITE_NAME },
  tokens: createSubscriptionTokens(config.SUBSCRIPTION_TOKEN_SECRET),
  claimLeaseMs: config.CLAIM_LEASE_SECONDS * 1000,
  // Both count in `UncertainSends`, which an alarm watches (serverless.yml): the ledger does not say
  // `sent` for a message that may be out, and nobody resends it.
  onUnrecordedSend: (key, messageId, error) => {
    logger.error('Email sent but not recorded in the ledger', { key, messageId, error: loggable(error) })
    metrics.addMetric('UncertainSends', MetricUnit.Count, 1)
    flushMetrics()
  },
  onUncertain: (key, reason, error) => {
    logger.error('Email outcome unknown: it is never resent', {
      key,
      reason,
      ...(error === undefined ? {} : { error: loggable(error) }),
    })
    metrics.addMetric('UncertainSends', MetricUnit.Count, 1)
    flushMetrics()
  },
})
