import { describe, expect, it } from 'vitest'
import { ImageError } from '../errors'
import { bmp, photo, rotatedJpeg, truncated } from '../fixtures'
import { extractMetadata } from './metadata'

describe('extractMetadata', () => {
  it.each(['jpeg', 'png', 'webp', 'gif', 'tiff'] as const)(
    'reads a %s photo with pixel statistics',
    async (format) => {
      const meta = await extractMetadata(await photo(64, 48, format))
      expect(meta).toMatchObject({ format, width: 64, height: 48 })
      expect(meta.stats.dominant).toMatch(/^#[0-9a-f]{6}$/)
      expect(meta.stats.entropy).toBeGreaterThan(0)
      expect(meta.stats.opaque).toBe(true)
    },
  )

  it('reports transparency and the display size of EXIF-rotated photos', async () => {
    const withAlpha = await extractMetadata(await photo(32, 32, 'png', { alpha: true }))
    expect(withAlpha.hasAlpha).toBe(true)
    expect(withAlpha.stats.opaque).toBe(false)
    const rotated = await extractMetadata(await rotatedJpeg(80, 40))
    expect(rotated).toMatchObject({ width: 40, height: 80, orientation: 6, hasExif: true })
  })

  it('refuses what is not a supported, complete image with a typed error', async () => {
    await expect(extractMetadata(bmp())).rejects.toBeInstanceOf(ImageError)
    await expect(extractMetadata(truncated(await photo(200, 200)))).rejects.toMatchObject({
      name: 'ImageError',
    })
    await expect(extractMetadata(Buffer.from('hello'))).rejects.toMatchObject({ code: 'not-an-image' })
  })
})
