import sharp from 'sharp'
import { ImageError } from './errors'
import { defaultLimits, type ImageLimits, type InputFormat } from './limits'
import { guarded } from './open'
import { sniffFormat, sniffUnsupportedFormat } from './sniff'

/** What a photo is, read from its header without decoding pixels. */
export interface ImageInfo {
  readonly format: InputFormat
  /** Display width and height: EXIF orientation applied (a portrait phone photo is taller than wide). */
  readonly width: number
  readonly height: number
  /** EXIF orientation tag (1–8); 1 when absent. */
  readonly orientation: number
  readonly hasAlpha: boolean
  /** Size of the encoded input in bytes. */
  readonly bytes: number
  /** Frames/pages in the file (GIF, TIFF); 1 otherwise. */
  readonly pages: number
}

const checkBytes = (input: Uint8Array, limits: ImageLimits): void => {
  if (input.length === 0) throw new ImageError('empty', 'The file is empty')
  if (input.length > limits.maxInputBytes) {
    throw new ImageError(
      'too-large',
      `The file has ${input.length} bytes; the limit is ${limits.maxInputBytes}`,
    )
  }
}

/**
 * Reads format, dimensions and orientation, and applies every limit that needs no decoding:
 * byte cap, accepted formats, pixel cap. Throws `ImageError`.
 */
export const readImageInfo = async (
  input: Uint8Array,
  limits: ImageLimits = defaultLimits,
): Promise<ImageInfo> => {
  checkBytes(input, limits)
  // The magic number decides before any decoder runs (see sniff.ts); libvips must then agree.
  const sniffed = sniffFormat(input)
  if (!sniffed) {
    const known = sniffUnsupportedFormat(input)
    if (known) throw new ImageError('unsupported-format', `Image format ${known} is not supported`)
    throw new ImageError('not-an-image', 'The file is not an image of a known format')
  }
  if (!limits.formats.includes(sniffed))
    throw new ImageError('unsupported-format', `Image format ${sniffed} is not supported`)
  // No pixel limit here: we want the declared dimensions to report them, then refuse below.
  const metadata = await guarded(input, () => sharp(input, { limitInputPixels: false }).metadata())
  const format = metadata.format as InputFormat
  if (format !== sniffed)
    throw new ImageError('corrupt', `The file starts like ${sniffed} but decodes as ${format}`)
  // sharp's libvips decodes AVIF but not HEVC-compressed HEIF (patents); both report `heif`.
  const decodable = format !== 'heif' || metadata.compression === 'av1'
  if (!decodable || !limits.formats.includes(format)) {
    throw new ImageError(
      'unsupported-format',
      `Image format ${metadata.compression ?? format} is not supported`,
    )
  }
  const { width, height } = metadata.autoOrient
  if (!width || !height) throw new ImageError('corrupt', 'The image header declares no dimensions')
  if (width * height > limits.maxInputPixels) {
    throw new ImageError(
      'too-many-pixels',
      `The image declares ${width}×${height} pixels; the limit is ${limits.maxInputPixels}`,
    )
  }
  return {
    format,
    width,
    height,
    orientation: metadata.orientation ?? 1,
    hasAlpha: metadata.hasAlpha,
    bytes: input.length,
    pages: metadata.pages ?? 1,
  }
}
