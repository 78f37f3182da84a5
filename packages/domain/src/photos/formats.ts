import type { PhotoContentType } from '../posts/photos'

/**
 * The decoded format (as libvips/sharp names it: AVIF is `heif`) of each content type blog-site's
 * upload allow-list signs into a presigned URL. The thumbnailer decodes these formats only, and
 * only when the bytes are the format their upload declared.
 */
export const DECODED_FORMATS = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'heif',
} as const satisfies Record<PhotoContentType, string>
export type UploadFormat = (typeof DECODED_FORMATS)[PhotoContentType]

export const UPLOAD_FORMATS: readonly UploadFormat[] = [...new Set(Object.values(DECODED_FORMATS))]

/** The format an upload's declared content type promises, or undefined when it is not an allowed type. */
export const declaredFormat = (contentType: string | undefined): UploadFormat | undefined => {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase()
  return type !== undefined && Object.hasOwn(DECODED_FORMATS, type)
    ? DECODED_FORMATS[type as PhotoContentType]
    : undefined
}
