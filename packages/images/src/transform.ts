import sharp, { type OutputInfo, type Sharp } from 'sharp'
import { type EncodedImage, type EncodeOptions, encode, toEncodedImage } from './encode'
import { ImageError } from './errors'
import { type ImageInfo, readImageInfo } from './info'
import { defaultLimits, type ImageLimits } from './limits'
import { guarded, openImage } from './open'

/** One step of a photo pipeline, applied in order to the EXIF-oriented image. */
export type ImageStep =
  | {
      readonly op: 'resize'
      readonly width?: number
      readonly height?: number
      /** `inside` (default) keeps aspect within the box; `cover` crops to fill it; `fill` stretches. */
      readonly fit?: 'inside' | 'cover' | 'contain' | 'fill'
      /** Default true: a small photo is never blown up. */
      readonly withoutEnlargement?: boolean
    }
  | {
      readonly op: 'crop'
      readonly left: number
      readonly top: number
      readonly width: number
      readonly height: number
    }
  /** Keeps one colour channel, as a single-channel (greyscale) image. */
  | { readonly op: 'channel'; readonly channel: 'red' | 'green' | 'blue' }
  | { readonly op: 'greyscale' }
  | { readonly op: 'rotate'; readonly angle: 90 | 180 | 270 }

interface Pixels {
  readonly data: Buffer
  readonly info: OutputInfo
}

const isPixelCount = (n: number | undefined): boolean => n === undefined || (Number.isInteger(n) && n >= 1)

/** Applies one step; `size` is the image's current size, for checks that need it. */
const apply = (pipeline: Sharp, step: ImageStep, size: { width: number; height: number }): Sharp => {
  switch (step.op) {
    case 'resize': {
      if ((!step.width && !step.height) || !isPixelCount(step.width) || !isPixelCount(step.height)) {
        throw new ImageError('invalid-options', 'resize needs a positive integer width and/or height')
      }
      return pipeline.resize({
        ...(step.width ? { width: step.width } : {}),
        ...(step.height ? { height: step.height } : {}),
        fit: step.fit ?? 'inside',
        withoutEnlargement: step.withoutEnlargement ?? true,
      })
    }
    case 'crop': {
      const { left, top, width, height } = step
      const inside =
        [left, top].every((n) => Number.isInteger(n) && n >= 0) &&
        isPixelCount(width) &&
        isPixelCount(height) &&
        left + width <= size.width &&
        top + height <= size.height
      if (!inside) {
        throw new ImageError(
          'invalid-options',
          `crop ${width}×${height}+${left}+${top} is not inside the ${size.width}×${size.height} image`,
        )
      }
      return pipeline.extract({ left, top, width, height })
    }
    case 'channel':
      return pipeline.extractChannel(step.channel)
    case 'greyscale':
      return pipeline.greyscale()
    case 'rotate':
      if (![90, 180, 270].includes(step.angle))
        throw new ImageError('invalid-options', 'rotate takes 90, 180 or 270')
      return pipeline.rotate(step.angle)
  }
}

/**
 * Runs `steps` in order and encodes the result. Each step is its own libvips pipeline over the
 * previous step's pixels, because one sharp pipeline reorders operations (it always resizes after
 * extracting, for instance) and a photo pipeline must mean what it says. The first step runs on the
 * encoded input, so a leading resize still gets JPEG shrink-on-load. Throws `ImageError`.
 */
export const transformImage = async (
  input: Uint8Array,
  steps: readonly ImageStep[],
  output: EncodeOptions,
  limits: ImageLimits = defaultLimits,
): Promise<EncodedImage & { source: ImageInfo }> => {
  const source = await readImageInfo(input, limits)
  return guarded(input, async () => {
    let size = { width: source.width, height: source.height }
    let pipeline = openImage(input, limits).rotate()
    for (const [index, step] of steps.entries()) {
      pipeline = apply(pipeline, step, size)
      if (index === steps.length - 1) break
      const pixels: Pixels = await pipeline.raw().toBuffer({ resolveWithObject: true })
      size = { width: pixels.info.width, height: pixels.info.height }
      pipeline = sharp(pixels.data, {
        raw: { width: size.width, height: size.height, channels: pixels.info.channels },
      }).timeout({ seconds: limits.timeoutSeconds })
    }
    const result = await encode(pipeline, output).toBuffer({ resolveWithObject: true })
    return { ...toEncodedImage(result, output.format), source }
  })
}
