import sharp from 'sharp'
import { type ImageInfo, readImageInfo } from '../info'
import { defaultLimits, type ImageLimits } from '../limits'
import { guarded, openImage } from '../open'

/** Everything worth recording about a photo, without its EXIF payload (GPS position, serials). */
export interface ImageMetadata extends ImageInfo {
  /** Colour space as libvips names it (`srgb`, `cmyk`, `b-w`...). */
  readonly space: string
  readonly channels: number
  /** Bits per sample (`uchar` = 8, `ushort` = 16...). */
  readonly depth: string
  /** Pixels per inch, when the file says. */
  readonly density?: number
  readonly progressive: boolean
  readonly hasIccProfile: boolean
  readonly hasExif: boolean
  /** Statistics of the decoded pixels. */
  readonly stats: {
    /** Most frequent colour (sharp's 4096-bin histogram), as `#rrggbb`. */
    readonly dominant: string
    /** Mean of each channel, 0–255, in channel order. */
    readonly channelMeans: readonly number[]
    /** Shannon entropy of the greyscale histogram, in bits (0 = flat). */
    readonly entropy: number
    /** Standard deviation of the Laplacian: higher is sharper. */
    readonly sharpness: number
    /** False when any pixel is (partly) transparent. */
    readonly opaque: boolean
  }
}

const hex = (n: number): string => Math.round(n).toString(16).padStart(2, '0')

/**
 * Reads header metadata and pixel statistics of a photo with the package's safety limits
 * (pixel/byte caps, truncated input refused, libvips timeout). Throws `ImageError`.
 */
export const extractMetadata = async (
  input: Uint8Array,
  limits: ImageLimits = defaultLimits,
): Promise<ImageMetadata> => {
  const info = await readImageInfo(input, limits)
  return guarded(input, async () => {
    const header = await sharp(input, { limitInputPixels: limits.maxInputPixels }).metadata()
    const stats = await openImage(input, limits).stats()
    const { r, g, b } = stats.dominant
    return {
      ...info,
      space: header.space ?? 'unknown',
      channels: header.channels ?? stats.channels.length,
      depth: header.depth ?? 'unknown',
      ...(header.density ? { density: header.density } : {}),
      progressive: header.isProgressive ?? false,
      hasIccProfile: Boolean(header.icc),
      hasExif: Boolean(header.exif),
      stats: {
        dominant: `#${hex(r)}${hex(g)}${hex(b)}`,
        channelMeans: stats.channels.map((channel) => Math.round(channel.mean * 100) / 100),
        entropy: Math.round(stats.entropy * 1000) / 1000,
        sharpness: Math.round(stats.sharpness * 1000) / 1000,
        opaque: stats.isOpaque,
      },
    }
  })
}
