import type { OriginSecret } from '@app/runtime/http'

/** What the routes share that is not configuration: Cache-Control values and request size limits. */

/** Cache-Control of public GETs. The CDN keeps them longer than browsers: writes invalidate it. */
export const CACHE = {
  posts: 'public, max-age=60, s-maxage=300, stale-while-revalidate=60',
  /** Thumbnails appear within seconds of an upload: poll-friendly while any is pending. */
  photosPending: 'public, max-age=5, s-maxage=5',
  photosSettled: 'public, max-age=60, s-maxage=60',
} as const

/** Post bodies reach 100,000 characters; multi-byte text needs head-room over the 16 KB default. */
export const MAX_POST_REQUEST_BYTES = 512 * 1024

/**
 * The header the distribution adds to every `/api/*` origin request (serverless/cdn.yml,
 * `OriginCustomHeaders`; lower-case, as the routes see headers). Its value is the stage's origin
 * secret: a request without it came to the API's own URL, around the CDN.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify'

/** What every route of this API takes besides its ports: the values of the origin secret it accepts. */
export interface BehindCdn {
  readonly origin: OriginSecret
}
