import { z } from 'zod'
import type { PhotoFailureReason } from './failures'
import { SEQUENCER_WIDTH } from './keys'

/** One stored thumbnail, as the blog lists it (key relative to the thumbnails bucket). */
export const photoThumbnailSchema = z.object({
  width: z.int().positive(),
  height: z.int().positive(),
  key: z.string().min(1),
  contentType: z.string().min(1),
})
export type PhotoThumbnail = z.output<typeof photoThumbnailSchema>

/** Which upload a result belongs to: its content ETag and S3's event sequencer (normalised). */
const sourceFields = {
  etag: z.string().min(1),
  sourceSequencer: z.string().length(SEQUENCER_WIDTH),
  processedAt: z.iso.datetime(),
}

/**
 * The fields the thumbnailer sets on a photos-table item (blog-site creates the item, `pending`,
 * when it hands out the upload URL). `ready` carries what the blog needs to show the photo;
 * `failed` carries a reason it can show the author.
 */
export const photoResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ready'),
    ...sourceFields,
    width: z.int().positive(),
    height: z.int().positive(),
    /** Format of the original upload, as decoded (`jpeg`, `png`, `webp`, `gif`, `heif`, `tiff`). */
    format: z.string().min(1),
    /** Bytes of the original upload. */
    size: z.int().nonnegative(),
    thumbnails: z.array(photoThumbnailSchema).min(1),
  }),
  z.object({
    status: z.literal('failed'),
    ...sourceFields,
    reason: z.string().min(1) as z.ZodType<PhotoFailureReason>,
    reasonDetail: z.string().max(300),
    size: z.int().nonnegative(),
  }),
])
export type PhotoResult = z.output<typeof photoResultSchema>
export type ReadyPhoto = Extract<PhotoResult, { status: 'ready' }>
export type FailedPhoto = Extract<PhotoResult, { status: 'failed' }>

/** What the thumbnailer reads back from an item to decide whether an event is new. */
export const photoProgressSchema = z.object({
  photoKey: z.string(),
  status: z.enum(['pending', 'ready', 'failed']),
  etag: z.string().optional(),
  sourceSequencer: z.string().optional(),
  reason: z.string().optional(),
})
export type PhotoProgress = z.output<typeof photoProgressSchema>

export interface UploadVersion {
  readonly etag: string
  /** Normalised (see `normaliseSequencer`). */
  readonly sequencer: string
}

export type Staleness = 'new' | 'duplicate' | 'superseded'

/**
 * Whether an event still needs work, given the item as it is now: `duplicate` when this very
 * upload already has a final result (a redelivered message), `superseded` when a later upload
 * under the same key already has one (an out-of-order message), `new` otherwise. A
 * `processing-error` is not final: it was recorded when retries ran out, and a redrive from the
 * dead-letter queue must be able to try again.
 */
export const staleness = (item: PhotoProgress, upload: UploadVersion): Staleness => {
  if (item.status === 'pending' || item.sourceSequencer === undefined) return 'new'
  if (item.sourceSequencer > upload.sequencer) return 'superseded'
  const final = item.status === 'ready' || item.reason !== 'processing-error'
  if (final && item.sourceSequencer === upload.sequencer && item.etag === upload.etag) return 'duplicate'
  return 'new'
}
