import { awsEnvSchema } from '@app/runtime/config'
import { z } from 'zod'

/** Everything `sendWelcome` reads from its environment; parsed once at cold start. */
export const sendWelcomeConfigSchema = awsEnvSchema.extend({
  /** The at-most-once ledger: one item per message (confirmation round, welcome) of a subscription. */
  SENT_LEDGER_TABLE_NAME: z.string().min(1),
  /** `From:` of the welcome email; must belong to the SES identity the function may use. */
  SENDER_ADDRESS: z.string().min(3),
  SES_CONFIGURATION_SET: z.string().min(1),
  /** Public origin of the blog; the unsubscribe link points at its `/unsubscribe` page. */
  SITE_URL: z.url({ protocol: /^https?$/ }),
  SITE_NAME: z.string().min(1),
  /**
   * Key of the links' signatures (confirmation, unsubscribe): blog-site's Secrets Manager secret,
   * resolved at deploy into the functions that sign or verify only.
   */
  SUBSCRIPTION_TOKEN_SECRET: z.string().min(32),
  /**
   * How long a claim keeps other deliveries of the same subscriber away. Longer than the function
   * timeout, so a live sender never loses its claim; a crashed one frees it after this long.
   */
  CLAIM_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
})

export type SendWelcomeConfig = z.output<typeof sendWelcomeConfigSchema>
