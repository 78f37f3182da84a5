import { randomUUID } from 'node:crypto'
import { createDocumentClient, logger, MetricUnit, metrics, readConfig, retryStrategy } from '@app/runtime'
import { SESv2Client } from '@aws-sdk/client-sesv2'
import { dynamoSentLedger } from '../../adapters/dynamo-ledger'
import { sesMailer } from '../../adapters/ses-mailer'
import { sendWelcomeConfigSchema } from '../../config'
import { createStreamHandler } from '../../stream-handler'

const config = readConfig(sendWelcomeConfigSchema)

const ses = new SESv2Client({
  region: config.AWS_REGION,
  retryStrategy: retryStrategy(config),
  ...(config.AWS_ENDPOINT_URL_SESV2 ? { endpoint: config.AWS_ENDPOINT_URL_SESV2 } : {}),
})

/** `sendWelcome`: subscribers stream (INSERTs only) -> one welcome email per new subscriber. */
export const handler = createStreamHandler({
  mailer: sesMailer(ses, { from: config.SENDER_ADDRESS, configurationSet: config.SES_CONFIGURATION_SET }),
  ledger: dynamoSentLedger(createDocumentClient(config), config.SENT_LEDGER_TABLE_NAME),
  clock: { now: () => new Date() },
  newClaimId: randomUUID,
  site: { url: config.SITE_URL, name: config.SITE_NAME },
  claimLeaseMs: config.CLAIM_LEASE_SECONDS * 1000,
  onUnrecordedSend: (email, messageId, error) => {
    logger.error('Welcome sent but not recorded in the ledger', { email, messageId, error })
    metrics.addMetric('WelcomeUnrecordedSend', MetricUnit.Count, 1)
    metrics.publishStoredMetrics()
  },
})
