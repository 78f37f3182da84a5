import sharp, { type Sharp } from 'sharp'
import { ImageError, toImageError } from './errors'
import { defaultLimits, type ImageLimits, type InputFormat } from './limits'
import { sniffUnsupportedFormat } from './sniff'

// Every call processes a different image, so libvips' operation cache would only hold memory.
sharp.cache(false)

const loaders: Readonly<Record<InputFormat, readonly string[]>> = {
  jpeg: ['VipsForeignLoadJpegBuffer'],
  png: ['VipsForeignLoadPngBuffer'],
  webp: ['VipsForeignLoadWebpBuffer'],
  gif: ['VipsForeignLoadNsgifBuffer'],
  heif: ['VipsForeignLoadHeifBuffer'],
  tiff: ['VipsForeignLoadTiffBuffer'],
  svg: ['VipsForeignLoadSvgBuffer'],
}

/**
 * libvips chooses a loader by sniffing the bytes itself, so every loader it has (librsvg for SVG,
 * libtiff, PDF, matrix...) is reachable from an upload unless blocked. This blocks them all,
 * process-wide (libvips has no per-call switch), and allows back only the buffer loaders of
 * `formats`: even a caller that skips `readImageInfo` cannot reach another decoder. Call it once at
 * start-up with the formats the process accepts; importing this package already applies the
 * default formats (SVG never decodes).
 */
export const allowOnlyDecoders = (formats: readonly InputFormat[]): void => {
  sharp.block({ operation: ['VipsForeignLoad'] })
  sharp.unblock({ operation: formats.flatMap((format) => loaders[format]) })
}

allowOnlyDecoders(defaultLimits.formats)

/**
 * A sharp pipeline with the safety settings every operation in this package uses:
 * - `limitInputPixels`: libvips refuses headers declaring more pixels (bombs) before decoding;
 * - `failOn: 'truncated'`: a cut-off upload fails instead of yielding a half-grey thumbnail, while
 *   harmless warnings real cameras produce (extra bytes after EOI) do not;
 * - `sequentialRead`: decode top to bottom in strips, so memory follows the output, not the input;
 * - `timeout`: the libvips pipeline aborts after the budget instead of eating the Lambda timeout.
 */
export const openImage = (input: Uint8Array, limits: ImageLimits): Sharp =>
  sharp(input, {
    limitInputPixels: limits.maxInputPixels,
    failOn: 'truncated',
    sequentialRead: true,
  }).timeout({
    seconds: limits.timeoutSeconds,
  })

/** Runs `work`, turning whatever sharp throws into an `ImageError` that names the input's fault. */
export const guarded = async <T>(input: Uint8Array, work: () => Promise<T>): Promise<T> => {
  try {
    return await work()
  } catch (error) {
    const classified = toImageError(error)
    const format = classified.code === 'not-an-image' ? sniffUnsupportedFormat(input) : undefined
    if (format)
      throw new ImageError('unsupported-format', `Image format ${format} is not supported`, { cause: error })
    throw classified
  }
}
