import { randomUUID } from 'node:crypto'
import { createDocumentClient, retryStrategy } from '@app/runtime/aws'
import { readConfig } from '@app/runtime/config'
import { flushMetrics, logger, MetricUnit, metrics } from '@app/runtime/observability'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { SESv2Client } from '@aws-sdk/client-sesv2'
import { dynamoSentLedger } from '../../adapters/dynamo-ledger'
import { sesMailer } from '../../adapters/ses-mailer'
import { sendWelcomeConfigSchema } from '../../config'
import { createStreamHandler, type StreamHandler } from '../../stream-handler'

/** Clients to use instead of the default ones (the local runner passes them with local credentials). */
export interface SendWelcomeClients {
  dynamodb?: DynamoDBClient
  ses?: SESv2Client
}

/**
 * Wires `sendWelcome` from its environment: the Lambda module calls it once with `process.env`;
 * `pnpm dev` calls it with the function's serverless.yml environment on top of the local cloud's.
 * Fails fast (ConfigError) when a setting is missing.
 */
export const createSendWelcomeHandler = (
  env: Record<string, string | undefined>,
  clients: SendWelcomeClients = {},
): StreamHandler => {
  const config = readConfig(sendWelcomeConfigSchema, env)
  const ses =
    clients.ses ??
    new SESv2Client({
      region: config.AWS_REGION,
      retryStrategy: retryStrategy(config),
      ...(config.AWS_ENDPOINT_URL_SESV2 ? { endpoint: config.AWS_ENDPOINT_URL_SESV2 } : {}),
    })
  return createStreamHandler({
    mailer: sesMailer(ses, { from: config.SENDER_ADDRESS, configurationSet: config.SES_CONFIGURATION_SET }),
    ledger: dynamoSentLedger(createDocumentClient(config, clients.dynamodb), config.SENT_LEDGER_TABLE_NAME),
    clock: { now: () => new Date() },
    newClaimId: randomUUID,
    site: { url: config.SITE_URL, name: config.SITE_NAME },
    claimLeaseMs: config.CLAIM_LEASE_SECONDS * 1000,
    onUnrecordedSend: (email, messageId, error) => {
      logger.error('Welcome sent but not recorded in the ledger', { email, messageId, error })
      metrics.addMetric('WelcomeUnrecordedSend', MetricUnit.Count, 1)
      flushMetrics()
    },
  })
}
