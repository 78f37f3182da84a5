import { randomUUID } from 'node:crypto'
import { createSubscriptionTokens } from '@app/domain/subscribers'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createSesClient } from '@app/runtime/ses'
import { dynamoSentLedger } from '../../adapters/dynamo-ledger'
import { dynamoConfirmedSubscribers } from '../../adapters/dynamo-subscribers'
import { sesMailer } from '../../adapters/ses-mailer'
import { uncertainSendReports } from '../../adapters/uncertain-sends'
import { sendNewsletterConfigSchema } from '../../config'
import { createConsumer } from './consumer'

/**
 * `sendNewsletter`: posts stream (publications) -> one newsletter per confirmed subscriber, at most
 * once each, at the stage's send rate. Config, clients and adapters are set up here only.
 */
const config = readConfig(sendNewsletterConfigSchema)
const db = createDocumentClient(config)

export const handler = createConsumer(
  {
    mailer: sesMailer(createSesClient(config), {
      from: config.SENDER_ADDRESS,
      configurationSet: config.SES_CONFIGURATION_SET,
    }),
    ledger: dynamoSentLedger(db, config.SENT_LEDGER_TABLE_NAME),
    subscribers: dynamoConfirmedSubscribers(db, {
      tableName: config.CONFIRMED_SUBSCRIBERS_INDEX_ARN.tableName,
      indexName: config.CONFIRMED_SUBSCRIBERS_INDEX_ARN.indexName,
    }),
    clock: { now: () => new Date() },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    sendRatePerSecond: config.NEWSLETTER_SEND_RATE,
    newClaimId: randomUUID,
    site: { url: config.SITE_URL, name: config.SITE_NAME },
    tokens: createSubscriptionTokens(config.SUBSCRIPTION_TOKEN_SECRET),
    claimLeaseMs: config.CLAIM_LEASE_SECONDS * 1000,
    // As the welcome's: counted in `UncertainSends` (alarmed), never resent.
    ...uncertainSendReports,
  },
  { reserveMs: config.NEWSLETTER_RESERVE_SECONDS * 1000 },
)
