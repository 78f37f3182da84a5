/**
 * Why an image could not be processed. `retryable` answers the only question a queue consumer has:
 * would the same bytes succeed on another attempt? Decoding is deterministic, so every verdict about
 * the input itself is final; only failures outside the input (resources, bugs we may fix by
 * redeploying) are worth a retry.
 */
export type ImageErrorCode =
  /** Zero bytes. */
  | 'empty'
  /** The bytes are no image format we know of (text, HTML, a zip...). */
  | 'not-an-image'
  /** A real image format we do not accept (BMP, PSD, HEIC, SVG...). */
  | 'unsupported-format'
  /** The image ends before its pixel data does. */
  | 'truncated'
  /** Header or pixel data that does not decode. */
  | 'corrupt'
  /** More bytes than the byte cap. */
  | 'too-large'
  /** Declared dimensions above the pixel cap (decompression bombs). */
  | 'too-many-pixels'
  /** Processing exceeded its time budget. */
  | 'timeout'
  /** The caller asked for something impossible (e.g. a crop outside the image). */
  | 'invalid-options'
  /** Anything else: not the input's fault as far as we can tell. */
  | 'internal'

const retryableCodes: ReadonlySet<ImageErrorCode> = new Set(['internal'])

/** A classified image-processing failure; `cause` keeps libvips' message for logs. */
export class ImageError extends Error {
  readonly retryable: boolean
  constructor(
    readonly code: ImageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'ImageError'
    this.retryable = retryableCodes.has(code)
  }
}

export const isImageError = (error: unknown): error is ImageError => error instanceof ImageError

/**
 * libvips reports failures as free text. These patterns were collected by feeding sharp 0.35 /
 * libvips 8.18 the cases in `errors.test.ts`; an unknown message stays `internal` (retryable), so a
 * new libvips wording costs a few retries, never a wrongly discarded photo.
 */
const patterns: readonly [RegExp, ImageErrorCode][] = [
  // libvips' placeholder when its error buffer was empty when read: the buffer is process-wide, so
  // a failure elsewhere in the process (another thread, another image) can clear the real message
  // first. It says nothing about this input: retry rather than condemn the photo as `corrupt`.
  [/^Unknown error$/i, 'internal'],
  [/Input (Buffer|file) is empty/i, 'empty'],
  [/exceeds pixel limit/i, 'too-many-pixels'],
  [/timeout/i, 'timeout'],
  [/unsupported image format/i, 'not-an-image'],
  // A file cut inside its header cannot even be identified as truncated.
  [/corrupt header/i, 'corrupt'],
  [/premature end|truncated|unexpected end|Not enough data|read error|end of file|EOF/i, 'truncated'],
  [/corrupt|bogus|invalid|not a (JPEG|PNG|WebP)|bad |unable to|failed to|error/i, 'corrupt'],
]

/** Maps anything thrown while decoding/encoding to an `ImageError`. */
export const toImageError = (error: unknown): ImageError => {
  if (isImageError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  const code = patterns.find(([pattern]) => pattern.test(message))?.[1] ?? 'internal'
  return new ImageError(code, firstLine(message), { cause: error })
}

const firstLine = (message: string): string => (message.split('\n', 1)[0] ?? message).slice(0, 200)
