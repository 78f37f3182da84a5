import { SESv2Client } from '@aws-sdk/client-sesv2'
import type { AwsEnv } from '../config'

// Its own entry point (`@app/runtime/ses`), for the same reason as `@app/runtime/dynamodb`.
/**
 * One SES v2 client per function. It never retries: `SendEmail` has no idempotency key, so an SDK
 * retry after a lost response (timeout, reset) sends the mail twice. Callers decide what an error
 * means (see services/welcome-mailer's ledger). The request timeout ends a hung send well inside a
 * function's timeout, so the caller lives to record that the outcome is unknown.
 */
export const createSesClient = (env: AwsEnv, options: { requestTimeoutMs?: number } = {}): SESv2Client =>
  new SESv2Client({
    region: env.AWS_REGION,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 2_000, requestTimeout: options.requestTimeoutMs ?? 20_000 },
    ...(env.AWS_ENDPOINT_URL_SESV2 ? { endpoint: env.AWS_ENDPOINT_URL_SESV2 } : {}),
  })
