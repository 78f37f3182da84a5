import { plannedWidths } from '@app/domain/photos'
import { type ImageLimits, makeThumbnails, readImageInfo } from '@app/images'
import type { Imaging } from '../ports'

/** libvips through `@app/images`: one decode per photo, shrink-on-load, safe limits. */
export const sharpImaging = (limits: ImageLimits): Imaging => ({
  async thumbnails(input, { widths, format, quality }) {
    const info = await readImageInfo(input, limits)
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
