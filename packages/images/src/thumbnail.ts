import sharp, { type ResizeOptions, type Sharp } from 'sharp'
import { type EncodedImage, type EncodeOptions, encode, toEncodedImage } from './encode'
import { ImageError } from './errors'
import { type ImageInfo, readImageInfo } from './info'
import { defaultLimits, type ImageLimits } from './limits'
import { guarded, openImage } from './open'

/** A thumbnail: fits inside `width` × `height` (height optional), aspect kept, never upscaled. */
export interface ThumbnailOptions extends EncodeOptions {
  readonly width: number
  readonly height?: number
}

export interface Thumbnails {
  readonly source: ImageInfo
  /** In the order the sizes were asked for. */
  readonly thumbnails: readonly EncodedImage[]
}

const MAX_EDGE = 16_383 // libvips' largest JPEG/WebP edge

const checkSize = ({ width, height, quality }: ThumbnailOptions): void => {
  const valid = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 1 && n <= MAX_EDGE)
  if (!valid(width) || !valid(height)) {
    throw new ImageError(
      'invalid-options',
      `Thumbnail box ${width}×${height ?? 'auto'} is not 1–${MAX_EDGE} px`,
    )
  }
  if (quality !== undefined && !(Number.isInteger(quality) && quality >= 1 && quality <= 100)) {
    throw new ImageError('invalid-options', `Quality ${quality} is not an integer from 1 to 100`)
  }
}

const fitInside = ({ width, height }: { width: number; height?: number | undefined }): ResizeOptions => ({
  width,
  ...(height ? { height } : {}),
  fit: 'inside',
  withoutEnlargement: true,
})

const encodeThumbnail = async (
  pipeline: Sharp,
  options: ThumbnailOptions,
  hasAlpha: boolean,
): Promise<EncodedImage> => {
  let resized = pipeline.resize(fitInside(options))
  // JPEG has no alpha: transparent areas would turn black, so lay them on white.
  if (hasAlpha && options.format === 'jpeg') resized = resized.flatten({ background: '#ffffff' })
  return toEncodedImage(await encode(resized, options).toBuffer({ resolveWithObject: true }), options.format)
}

/**
 * Makes one or more thumbnails of one photo, decoding it once: JPEG shrink-on-load decodes straight
 * at the largest size needed, and the smaller sizes are resized from those pixels. EXIF orientation
 * is applied; metadata is not copied. Throws `ImageError`.
 */
export const makeThumbnails = async (
  input: Uint8Array,
  sizes: readonly ThumbnailOptions[],
  limits: ImageLimits = defaultLimits,
): Promise<Thumbnails> => {
  if (sizes.length === 0) throw new ImageError('invalid-options', 'No thumbnail size given')
  for (const size of sizes) checkSize(size)
  const source = await readImageInfo(input, limits)
  return guarded(input, async () => {
    if (sizes.length === 1) {
      const [only] = sizes as [ThumbnailOptions]
      return {
        source,
        thumbnails: [await encodeThumbnail(openImage(input, limits).rotate(), only, source.hasAlpha)],
      }
    }
    // One box that contains every requested box: each thumbnail is then a downscale of it.
    const union = {
      width: Math.max(...sizes.map((size) => size.width)),
      height: sizes.every((size) => size.height)
        ? Math.max(...sizes.map((size) => size.height ?? 0))
        : undefined,
    }
    const decoded = await openImage(input, limits)
      .rotate()
      .resize(fitInside(union))
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true })
    const { width, height, channels } = decoded.info
    const thumbnails = await Promise.all(
      sizes.map((size) =>
        encodeThumbnail(
          sharp(decoded.data, { raw: { width, height, channels } }).timeout({
            seconds: limits.timeoutSeconds,
          }),
          size,
          source.hasAlpha,
        ),
      ),
    )
    return { source, thumbnails }
  })
}

/** One thumbnail; see `makeThumbnails`. */
export const makeThumbnail = async (
  input: Uint8Array,
  options: ThumbnailOptions,
  limits: ImageLimits = defaultLimits,
): Promise<EncodedImage & { source: ImageInfo }> => {
  const { source, thumbnails } = await makeThumbnails(input, [options], limits)
  return { ...thumbnails[0]!, source }
}
