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
  // Both cases spelled out, no `i` flag: JSON Schema patterns (the OpenAPI document) have no flags.
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'letters, digits, dot, dash or underscore' })

/** Body of `POST /api/subscribers`. Unknown fields are rejected so typos surface as 400s. */
export const subscribeRequestSchema = z.strictObject({
  email: emailAddressSchema,
  source: subscriptionSourceSchema.optional(),
})
export type SubscribeRequest = z.output<typeof subscribeRequestSchema>

/** Random, URL-safe (base64url) secret that lets a subscriber unsubscribe from a link. */
export const unsubscribeTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22,128}$/, {
  message: 'must be a base64url token of 22 to 128 characters',
})

/** Body of `POST /api/subscribers/unsubscribe`: the token of the link in every email. */
export const unsubscribeRequestSchema = z.strictObject({ token: unsubscribeTokenSchema })
export type UnsubscribeRequest = z.output<typeof unsubscribeRequestSchema>

/**
 * The subscribers table item (partition key `email`). The welcome mailer parses stream NEW_IMAGEs
 * with this schema, so it is the contract between blog-site and welcome-mailer.
 */
export const subscriberSchema = z.object({
  email: z
    .email()
    .max(MAX_EMAIL_LENGTH)
    .refine((email) => email === normaliseEmail(email), {
      message: 'must be normalised (trimmed, lower-case)',
    }),
  subscribedAt: z.iso.datetime({ offset: false }),
  unsubscribeToken: unsubscribeTokenSchema,
  source: subscriptionSourceSchema.optional(),
})
export type Subscriber = z.output<typeof subscriberSchema>

export interface NewSubscriberPorts {
  now: () => Date
  /** Returns a fresh URL-safe random token (crypto-strength; injected to keep the domain pure). */
  randomToken: () => string
}

/** Builds the item to store for a validated request. */
export const newSubscriber = (request: SubscribeRequest, ports: NewSubscriberPorts): Subscriber =>
  subscriberSchema.parse({
    email: request.email,
    subscribedAt: ports.now().toISOString(),
    unsubscribeToken: ports.randomToken(),
    ...(request.source ? { source: request.source } : {}),
  })

/** What the API answers, whether the address was new or already subscribed (no enumeration). */
export interface SubscribeOutcome {
  subscriber: Subscriber
  /** `false` when the address was already subscribed: nothing was written. */
  created: boolean
}
