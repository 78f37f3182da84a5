import { PhotoProcessingError, plannedWidths } from '@app/domain/photos'
import { type ImageLimits, makeThumbnails, readImageInfo } from '@app/images'
import type { Imaging } from '../ports'

/** libvips through `@app/images`: one decode per photo, shrink-on-load, safe limits. */
export const sharpImaging = (limits: ImageLimits): Imaging => ({
  async thumbnails(input, { widths, format, quality, declared }) {
    const info = await readImageInfo(input, limits)
    // Header only so far: a PNG uploaded as image/jpeg is refused before its pixels are decoded.
    if (info.format !== declared.format) {
      throw new PhotoProcessingError(
        'wrong-content-type',
        `The file is a ${info.format.toUpperCase()} image but was uploaded as ${declared.contentType}`,
      )
    }
    const sizes = plannedWidths(info, widths).map((width) => ({ width, format, quality }))
    const { source, thumbnails } = await makeThumbnails(input, sizes, limits)
    return {
      source: { width: source.width, height: source.height, format: source.format },
      thumbnails: thumbnails.map(({ data, width, height, contentType }) => ({
        data,
        width,
        height,
        contentType,
      })),
    }
  },
})
