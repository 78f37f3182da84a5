import { z } from 'zod'
import { UnsupportedMediaTypeError, ValidationError } from '../errors'
import { slugSchema } from './slug'

/**
 * Photos of a post. blog-site owns the storage and the upload side (a presigned PUT under
 * `photos/<postSlug>/<uuid>.<ext>` and a `pending` item in the photos table); the thumbnailer
 * later marks the item `ready` (with thumbnails and dimensions) or `failed`.
 */

/** Image types a browser can show; SVG is left out on purpose (it can carry script). */
export const PHOTO_CONTENT_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
} as const
export type PhotoContentType = keyof typeof PHOTO_CONTENT_TYPES

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024

export const photoUploadRequestSchema = z.strictObject({
  contentType: z.string().min(1).max(100),
  contentLength: z.int().min(1),
  caption: z.string().trim().max(300).optional(),
})
export type PhotoUploadRequest = z.output<typeof photoUploadRequestSchema>

/** Checks type and size against the allow-list; the presigned URL then signs both. */
export const checkPhotoUpload = (
  request: PhotoUploadRequest,
  maxBytes = MAX_PHOTO_BYTES,
): { contentType: PhotoContentType; extension: string } => {
  const contentType = request.contentType.trim().toLowerCase()
  if (!Object.hasOwn(PHOTO_CONTENT_TYPES, contentType))
    throw new UnsupportedMediaTypeError(
      `Photos must be one of ${Object.keys(PHOTO_CONTENT_TYPES).join(', ')}; got ${JSON.stringify(request.contentType.slice(0, 100))}`,
    )
  if (request.contentLength > maxBytes)
    throw new ValidationError(`Photos may be at most ${maxBytes} bytes`, [
      { pointer: '/body/contentLength', detail: `must be at most ${maxBytes}` },
    ])
  const type = contentType as PhotoContentType
  return { contentType: type, extension: PHOTO_CONTENT_TYPES[type] }
}

/** `photos/<postSlug>/<uuid>.<ext>`: the thumbnailer relies on this layout. */
export const photoKey = (postSlug: string, id: string, extension: string): string =>
  `photos/${postSlug}/${id}.${extension}`

export const photoKeySchema = z
  .string()
  .regex(/^photos\/[a-z0-9]+(?:-[a-z0-9]+)*\/[0-9a-f-]{36}\.(?:jpg|png|webp|gif|avif)$/)

export const thumbnailSchema = z.object({
  width: z.number().int().positive(),
  key: z.string().min(1),
  contentType: z.string().min(1),
  height: z.number().int().positive().optional(),
})

/**
 * A photos table item as blog-site reads it. Lenient about the fields the thumbnailer adds, so a
 * new field there never breaks the blog.
 */
export const photoItemSchema = z.object({
  photoKey: z.string().min(1),
  postSlug: slugSchema,
  uploadedAt: z.iso.datetime(),
  status: z.enum(['pending', 'ready', 'failed']),
  contentType: z.string().optional(),
  caption: z.string().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  thumbnails: z.array(thumbnailSchema).optional(),
})
export type PhotoItem = z.output<typeof photoItemSchema>

/** A pending upload older than this never arrived (the presigned URL expired long ago). */
export const ABANDONED_UPLOAD_MS = 60 * 60 * 1000

/** Readers see ready photos, and pending ones while they may still be processing. */
export const isVisiblePhoto = (photo: PhotoItem, now: Date): boolean =>
  photo.status === 'ready' ||
  (photo.status === 'pending' && now.getTime() - Date.parse(photo.uploadedAt) < ABANDONED_UPLOAD_MS)

/**
 * A photo as the API shows it (GET /api/posts/{slug}/photos): what the site's script reads, so both
 * sides use this one type. URLs are CDN paths of thumbnails only (never the original, which keeps its
 * EXIF); `pending` until the thumbnailer is done, shown as a placeholder.
 */
export interface PhotoView {
  photoKey: string
  status: 'pending' | 'ready'
  caption?: string
  width?: number
  height?: number
  thumbnails: { width: number; url: string; contentType: string }[]
}

/**
 * Media the CDN serves, under these prefixes (see the CloudFront function). Thumbnails only:
 * originals keep the camera's EXIF (GPS position, serial), so the distribution has no origin for
 * them and no answer names them.
 */
export const MEDIA_PATHS = { thumbnails: '/media/thumbnails/' } as const

/** A photos table item as readers see it (blog-site's list, realtime's `photo.ready`). */
export const toPhotoView = (photo: PhotoItem): PhotoView => ({
  photoKey: photo.photoKey,
  status: photo.status === 'ready' ? 'ready' : 'pending',
  ...(photo.caption ? { caption: photo.caption } : {}),
  ...(photo.width ? { width: photo.width } : {}),
  ...(photo.height ? { height: photo.height } : {}),
  thumbnails: (photo.thumbnails ?? [])
    .map((thumbnail) => ({
      width: thumbnail.width,
      url: MEDIA_PATHS.thumbnails + thumbnail.key,
      contentType: thumbnail.contentType,
    }))
    .sort((a, b) => a.width - b.width),
})
