import { thumbnailFormatSchema, thumbnailWidthsSchema } from '@app/domain/photos'
import { awsEnvSchema } from '@app/runtime/config'
import { z } from 'zod'

/** Everything `makeThumbnails` reads from its environment (serverless.yml); parsed once at cold start. */
export const makeThumbnailsConfigSchema = awsEnvSchema.extend({
  /** blog-site's uploads bucket: read under `photos/` only. */
  UPLOADS_BUCKET: z.string().min(3),
  /** blog-site's thumbnails bucket: the only bucket written. */
  THUMBNAILS_BUCKET: z.string().min(3),
  /** blog-site's photos table: one item per upload, created `pending` by blog-site. */
  PHOTOS_TABLE: z.string().min(3),
  /** `256,1024`: widths in px; each photo gets these (capped at its own width). */
  THUMBNAIL_WIDTHS: thumbnailWidthsSchema,
  THUMBNAIL_FORMAT: thumbnailFormatSchema,
  THUMBNAIL_QUALITY: z.coerce.number().int().min(1).max(100),
  /** Byte cap on an upload; larger ones fail as `too-large` without being downloaded. */
  MAX_INPUT_BYTES: z.coerce.number().int().positive(),
  /** Pixel cap (decompression-bomb guard); larger ones fail as `too-many-pixels` before decoding. */
  MAX_INPUT_PIXELS: z.coerce.number().int().positive(),
  /** libvips' time budget per photo, kept well under the function timeout. */
  PROCESSING_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(900),
  /** The queue's redrive `maxReceiveCount`: on that attempt a transient failure is recorded too. */
  MAX_RECEIVE_COUNT: z.coerce.number().int().min(1).max(1000),
})

export type MakeThumbnailsConfig = z.output<typeof makeThumbnailsConfigSchema>
