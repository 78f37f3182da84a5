import { randomUUID } from 'node:crypto'
import { createSubscriptionTokens } from '@app/domain/subscribers'
import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createSesClient } from '@app/runtime/ses'
import { dynamoSentLedger } from '../../adapters/dynamo-ledger'
import { sesMailer } from '../../adapters/ses-mailer'
import { uncertainSendReports } from '../../adapters/uncertain-sends'
import { sendWelcomeConfigSchema } from '../../config'
import { createConsumer } from './consumer'

/**
 * `sendWelcome`: subscribers stream (INSERTs, MODIFYs) -> one confirmation email per confirmation
 * round of a pending subscriber (double opt-in), one welcome per confirmed subscriber.
 * Config, AWS clients and adapters are set up here only, once per container.
 */
const config = readConfig(sendWelcomeConfigSchema)

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
  ...uncertainSendReports,
})
