import { awsEnvSchema } from '@app/runtime/config'
import * as z from 'zod'

/**
 * Each function reads only the variables it uses, parsed once at module scope (readConfig fails the
 * cold start naming any missing or malformed one). The names are set in serverless.yml.
 */
const name = z.string().min(1)

export const connectionsEnvSchema = awsEnvSchema.extend({
  CONNECTIONS_TABLE: name,
  /** API Gateway closes a connection after 2 hours at most: its item lives that long plus a margin. */
  CONNECTION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(24 * 3600),
})

/** Producers: the table plus the WebSocket API's `@connections` endpoint and the fan-out's bound. */
export const deliveryEnvSchema = connectionsEnvSchema.extend({
  /** `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`; locally serverless-offline's WebSocket port. */
  CONNECTIONS_ENDPOINT: z.url(),
  /** PostToConnection calls in flight per event (API Gateway's management API has an account-wide rate). */
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(100),
})
