import { awsEnvSchema } from '@app/runtime/config'
import type { OriginSecret } from '@app/runtime/http'
import { z } from 'zod'
import { ORIGIN_VERIFY_HEADER } from './api/http'

/**
 * Environment of the blog-site functions, one piece per resource; each handler composes only the
 * pieces it uses and reads them once at module scope with `readConfig`.
 */
const name = z.string().min(1)

export const postsEnv = awsEnvSchema.extend({ POSTS_TABLE: name })
export const subscribersEnv = awsEnvSchema.extend({ SUBSCRIBERS_TABLE: name })
export const photosEnv = postsEnv.extend({ PHOTOS_TABLE: name })
/** Key of the signed links in subscription emails (confirm, unsubscribe): a per-stage secret resolved at deploy. */
export const subscriptionTokensEnv = z.object({ SUBSCRIPTION_TOKEN_SECRET: z.string().min(32) })
/** Double opt-in: how long a pending subscription waits, and how often it may ask for a new email. */
export const confirmationPolicyEnv = z.object({
  PENDING_SUBSCRIBER_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400),
  CONFIRMATION_COOLDOWN_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400),
})
export const cursorEnv = z.object({
  /** HMAC key of the list cursors: a per-stage secret resolved at deploy time. */
  CURSOR_SECRET: z.string().min(32),
})
export const uploadsEnv = photosEnv.extend({
  UPLOADS_BUCKET: name,
  MAX_PHOTO_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(50 * 1024 * 1024),
})
export const cdnEnv = z.object({
  /**
   * The distribution in front of the API, whose cached answers a write invalidates (locally the
   * local cloud's id of it); `none` (a stage without a CDN) parses to undefined. Required, so a
   * deployed function whose template lost the reference fails at cold start, naming it.
   */
  DISTRIBUTION_ID: z.union([
    z.literal('none').transform(() => undefined),
    z.string().regex(/^[A-Z0-9]{8,32}$/, 'must be the id of the CloudFront distribution, or none'),
  ]),
})
export type CdnEnv = z.output<typeof cdnEnv>

const originSecretValue = z.string().min(32)
/**
 * The origin secret (`OriginVerifySecret`, serverless/data.yml): its whole JSON SecretString,
 * resolved at deploy. The distribution sends `current`; `next` (before the switch) and `previous`
 * (after it) are accepted as well while a rotation is under way (README, "Direct calls").
 */
export const originEnv = z.object({
  ORIGIN_VERIFY_SECRET: z
    .string()
    .transform((text, context): unknown => {
      try {
        return JSON.parse(text)
      } catch {
        context.addIssue({ code: 'custom', message: 'must be the JSON SecretString {"current": "..."}' })
        return z.NEVER
      }
    })
    .pipe(
      z.strictObject({
        current: originSecretValue,
        next: originSecretValue.optional(),
        previous: originSecretValue.optional(),
      }),
    )
    .transform(
      ({ current, next, previous }): OriginSecret => ({
        header: ORIGIN_VERIFY_HEADER,
        values: [current, ...(next ? [next] : []), ...(previous ? [previous] : [])],
      }),
    ),
})
