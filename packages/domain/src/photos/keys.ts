import { z } from 'zod'

/**
 * Where photos and their thumbnails live. Uploads sit under `photos/` in the uploads bucket
 * (blog-site's layout `photos/<postSlug>/<uuid>.<ext>`); thumbnails go to a separate bucket, so a
 * thumbnail can never trigger the pipeline that made it.
 */
export const PHOTO_PREFIX = 'photos/'

/** S3's own limit on a key, in UTF-8 bytes. */
export const MAX_S3_KEY_BYTES = 1024

/**
 * S3 event records carry keys URL-encoded the way HTML forms encode them (space as `+`, everything
 * non-ASCII as UTF-8 percent escapes): `photos/my post/é.jpg` arrives as `photos/my+post/%C3%A9.jpg`.
 * A literal `+` in a key arrives as `%2B`, so replacing `+` before percent-decoding is exact.
 * Returns undefined for malformed escapes.
 */
export const decodeS3EventKey = (encoded: string): string | undefined => {
  try {
    return decodeURIComponent(encoded.replaceAll('+', ' '))
  } catch {
    return undefined
  }
}

/** The inverse of `decodeS3EventKey`, as S3 does it (used by the local notification router and tests). */
export const encodeS3EventKey = (key: string): string =>
  encodeURIComponent(key)
    // Form encoding (Java's URLEncoder, which S3 follows) also escapes these, but not `*`.
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+')
    // Path separators stay readable in event keys.
    .replaceAll('%2F', '/')

/** ETags as S3 events give them: hex MD5, with `-<parts>` for multipart uploads; quotes stripped. */
export const etagSchema = z
  .string()
  .transform((etag) => etag.replaceAll('"', ''))
  .pipe(z.string().regex(/^[0-9a-f]{32}(?:-\d{1,5})?$/, { message: 'must be an S3 ETag' }))

/**
 * The key of one thumbnail: `<source key without photos/>/<etag>/<width>.<ext>`.
 * Derived only from what identifies the upload (its key and content ETag) and the thumbnail's
 * width and format, so a redelivered event rewrites the same objects with the same bytes, a
 * re-upload under the same key gets new keys (no stale CDN cache), and the mapping is injective:
 * reading the last two segments from the right recovers etag and width, the rest is the source.
 */
export const thumbnailKey = (sourceKey: string, etag: string, width: number, extension: string): string =>
  `${sourceKey.startsWith(PHOTO_PREFIX) ? sourceKey.slice(PHOTO_PREFIX.length) : sourceKey}/${etag}/${width}.${extension}`

export const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length

/**
 * S3 event `sequencer`s order events on one key: compare them as hex numbers of equal length
 * (the AWS docs: pad the shorter with leading zeros). Padded to a fixed width, plain string
 * comparison orders them, which lets DynamoDB compare them in a condition expression.
 */
export const SEQUENCER_WIDTH = 32
export const normaliseSequencer = (sequencer: string): string =>
  sequencer.toUpperCase().padStart(SEQUENCER_WIDTH, '0')
