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

/** `arn:...:table/<table>/index/<index>`: the grant and the Query's names come from one value. */
const indexArnSchema = z
  .string()
  .regex(/^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+\/index\/[^/]+$/, {
    message: 'must be a DynamoDB index ARN',
  })
  .transform((arn) => {
    const [, table, , index] = arn.slice(arn.indexOf(':table/') + 1).split('/')
    return { arn, tableName: table as string, indexName: index as string }
  })

/** Everything `sendNewsletter` reads: the welcome's settings (same ledger, sender, links) and its audience. */
export const sendNewsletterConfigSchema = sendWelcomeConfigSchema.extend({
  /** blog-site's `byStatus` index of the subscribers table (output `SubscribersByStatusIndexArn`). */
  CONFIRMED_SUBSCRIBERS_INDEX_ARN: indexArnSchema,
  /** Newsletter messages per second: the stage's share of the SES account's maximum send rate. */
  NEWSLETTER_SEND_RATE: z.coerce.number().positive().max(1000),
  /**
   * No new message starts with less time left than this: the SES client's request timeout (20 s)
   * plus the ledger write and one pacing wait, inside the function's timeout.
   */
  NEWSLETTER_RESERVE_SECONDS: z.coerce.number().int().min(1).max(300).default(25),
})

export type SendNewsletterConfig = z.output<typeof sendNewsletterConfigSchema>
