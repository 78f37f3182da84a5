import { awsEnvSchema } from '@app/runtime/config'
import { z } from 'zod'

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
  /** The distribution in front of the API, whose cached answers a write invalidates. */
  DISTRIBUTION_ID: z.string().optional(),
  /** Set by serverless-offline: `pnpm dev` calls the API directly, no CDN caches it. */
  IS_OFFLINE: z.literal('true').optional(),
})
export type CdnEnv = z.output<typeof cdnEnv>

/** Cache-Control of public GETs. The CDN keeps them longer than browsers: writes invalidate it. */
export const CACHE = {
  posts: 'public, max-age=60, s-maxage=300, stale-while-revalidate=60',
  /** Thumbnails appear within seconds of an upload: poll-friendly while any is pending. */
  photosPending: 'public, max-age=5, s-maxage=5',
  photosSettled: 'public, max-age=60, s-maxage=60',
} as const

/** Post bodies reach 100,000 characters; multi-byte text needs head-room over the 16 KB default. */
export const MAX_POST_REQUEST_BYTES = 512 * 1024
