import type { OutputInfo, Sharp } from 'sharp'
import { contentTypes, type OutputFormat } from './limits'

/** Output encoding; `quality` 1–100 applies to the lossy formats. */
export interface EncodeOptions {
  readonly format: OutputFormat
  readonly quality?: number
}

/** An encoded image ready to store. */
export interface EncodedImage {
  readonly data: Buffer
  readonly width: number
  readonly height: number
  readonly format: OutputFormat
  readonly contentType: string
  readonly bytes: number
}

export const DEFAULT_QUALITY = 80

/**
 * Sets the encoder. Metadata (EXIF with GPS position, XMP, ICC) is not copied: sharp drops it unless
 * asked, and we never ask. Pixels are converted to sRGB first, so dropping the ICC profile is safe.
 */
export const encode = (pipeline: Sharp, { format, quality = DEFAULT_QUALITY }: EncodeOptions): Sharp => {
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg({ quality, progressive: false, chromaSubsampling: '4:2:0' })
    case 'webp':
      return pipeline.webp({ quality, effort: 4 })
    case 'avif':
      return pipeline.avif({ quality, effort: 4 })
    case 'png':
      return pipeline.png({ compressionLevel: 6 })
  }
}

export const toEncodedImage = (
  { data, info }: { data: Buffer; info: OutputInfo },
  format: OutputFormat,
): EncodedImage => ({
  data,
  width: info.width,
  height: info.height,
  format,
  contentType: contentTypes[format],
  bytes: info.size,
})
