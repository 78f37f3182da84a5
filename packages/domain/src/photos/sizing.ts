import { z } from 'zod'

/** Largest edge libvips can write as JPEG or WebP. */
export const MAX_THUMBNAIL_WIDTH = 16_383

/** Thumbnail formats the blog can serve to every browser. */
export const thumbnailFormatSchema = z.enum(['jpeg', 'webp'])
export type ThumbnailFormat = z.output<typeof thumbnailFormatSchema>

export const THUMBNAIL_EXTENSIONS: Readonly<Record<ThumbnailFormat, string>> = { jpeg: 'jpg', webp: 'webp' }
export const THUMBNAIL_CONTENT_TYPES: Readonly<Record<ThumbnailFormat, string>> = {
  jpeg: 'image/jpeg',
  webp: 'image/webp',
}

/** `"256,1024"` → `[256, 1024]`: widths, distinct, ascending. */
export const thumbnailWidthsSchema = z
  .string()
  .transform((text) => text.split(',').map((part) => Number(part.trim())))
  .pipe(z.array(z.int().min(16).max(MAX_THUMBNAIL_WIDTH)).min(1).max(8))
  .transform((widths) => [...new Set(widths)].sort((a, b) => a - b))

export interface Size {
  readonly width: number
  readonly height: number
}

/**
 * The size a photo is shrunk to for a thumbnail `width` wide: aspect kept, never upscaled, at
 * least 1 px each way (a 10000×1 panorama still has a height). Matches libvips' rounding.
 */
export const thumbnailSize = (source: Size, width: number): Size => {
  if (width >= source.width) return { width: source.width, height: source.height }
  return { width, height: Math.max(1, Math.round((source.height * width) / source.width)) }
}

/**
 * Which widths to actually make for a photo: every configured width up to the photo's own width,
 * plus the photo's width once if some configured width is larger (a 600 px photo with sizes
 * 256 and 1024 gets 256 and 600, not two copies of the 600). Ascending.
 */
export const plannedWidths = (source: Size, widths: readonly number[]): number[] =>
  [...new Set(widths.map((width) => Math.min(width, source.width)))].sort((a, b) => a - b)
