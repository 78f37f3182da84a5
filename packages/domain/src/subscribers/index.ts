import { z } from 'zod'

/**
 * Subscribers of the blog. The table (services/blog-site) is keyed by the *normalised* address, so
 * normalising in exactly one place is what makes resubscribing idempotent: `" Ann@Example.COM "`
 * and `"ann@example.com"` are one subscriber, one stream INSERT, one welcome email.
 */

/** RFC 5321 caps a forward-path at 256 octets including the angle brackets: 254 for the address. */
export const MAX_EMAIL_LENGTH = 254

/**
 * Trims and lower-cases. Lower-casing the local part is strictly lossy per RFC 5321, but every
 * mailbox provider we send to treats it case-insensitively, and two rows for one person is worse.
 */
export const normaliseEmail = (raw: string): string => raw.trim().toLowerCase()

/** An email address as a reader types it; parses to the normalised form. */
export const emailAddressSchema = z
  .string()
  // Bound the raw input before any work on it: a 1 MB "email" is rejected without a regex run.
  .max(MAX_EMAIL_LENGTH + 64, { message: `must be at most ${MAX_EMAIL_LENGTH} characters` })
  .transform(normaliseEmail)
  .pipe(z.email({ message: 'must be an email address' }).max(MAX_EMAIL_LENGTH))

/** Where a subscription came from (e.g. `blog-footer`); free text for analytics, never trusted. */
export const subscriptionSourceSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, { message: 'letters, digits, dot, dash or underscore' })

/** Body of `POST /api/subscribers`. Unknown fields are rejected so typos surface as 400s. */
export const subscribeRequestSchema = z.strictObject({
  email: emailAddressSchema,
  source: subscriptionSourceSchema.optional(),
})
export type SubscribeRequest = z.output<typeof subscribeRequestSchema>

/** A signed link token (see `./tokens`): base64url fields joined by dots. */
export const linkTokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){2,4}$/, {
    message: 'must be the token of a link we sent',
  })
  .max(256)

/** Body of `POST /api/subscribers/unsubscribe` from the page's button: the token of its link. */
export const unsubscribeRequestSchema = z.strictObject({ token: linkTokenSchema })
export type UnsubscribeRequest = z.output<typeof unsubscribeRequestSchema>

/** Body of an RFC 8058 one-click unsubscribe (form-encoded; the token is in the URL's query). */
export const oneClickUnsubscribeSchema = z.strictObject({ 'List-Unsubscribe': z.literal('One-Click') })

/** Body of `POST /api/subscribers/confirm` from the confirmation page: the token of its link. */
export const confirmRequestSchema = z.strictObject({ token: linkTokenSchema })

/** Random id of one subscription (base64url): what links and the mailer's ledger name, never the address. */
export const subscriberIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/)

/**
 * The subscribers table item (partition key `email`). The welcome mailer parses stream NEW_IMAGEs
 * with this schema, so it is the contract between blog-site and welcome-mailer:
 * - `pending`: subscribed, not confirmed; `expiresAt` (epoch seconds, the table's TTL attribute)
 *   removes it if nobody confirms; `confirmationRound` counts the confirmation emails asked for
 *   (the mailer sends one per round), `lastConfirmationAt` bounds how often (cool-down);
 * - `confirmed`: the owner of the address clicked the link; the mailer sends the welcome once.
 */
export const subscriberSchema = z.object({
  email: z
    .email()
    .max(MAX_EMAIL_LENGTH)
    .refine((email) => email === normaliseEmail(email), {
      message: 'must be normalised (trimmed, lower-case)',
    }),
  subscriberId: subscriberIdSchema,
  status: z.enum(['pending', 'confirmed']),
  subscribedAt: z.iso.datetime({ offset: false }),
  confirmationRound: z.number().int().min(1),
  lastConfirmationAt: z.iso.datetime({ offset: false }),
  expiresAt: z.number().int().positive().optional(),
  confirmedAt: z.iso.datetime({ offset: false }).optional(),
  source: subscriptionSourceSchema.optional(),
})
export type Subscriber = z.output<typeof subscriberSchema>

export interface NewSubscriberPorts {
  now: () => Date
  /** Returns a fresh URL-safe random id (crypto-strength; injected to keep the domain pure). */
  newId: () => string
}

/** Builds the pending item to store for a validated request; it expires after `ttlSeconds` unconfirmed. */
export const newSubscriber = (
  request: SubscribeRequest,
  ports: NewSubscriberPorts,
  ttlSeconds: number,
): Subscriber => {
  const now = ports.now()
  return subscriberSchema.parse({
    email: request.email,
    subscriberId: ports.newId(),
    status: 'pending',
    subscribedAt: now.toISOString(),
    confirmationRound: 1,
    lastConfirmationAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + ttlSeconds,
    ...(request.source ? { source: request.source } : {}),
  })
}

/** What the API answers, whatever the address's state was (no enumeration). */
export interface SubscribeOutcome {
  email: string
  /** What happened, for logs and tests only: never in the answer. */
  effect: 'created' | 'confirmation-resent' | 'nothing'
}

export { createSubscriptionTokens, type SubscriptionTokens } from './tokens'

/**
 * Text with every email address replaced by `[email]`: for logging errors whose messages may quote
 * one (SES's MessageRejected names the failed identities). Logs name subscriptions by id instead.
 */
export const redactEmailAddresses = (text: string): string =>
  text.replace(/[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+/g, '[email]')
