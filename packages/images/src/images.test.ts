import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { bmp, jpegBomb, photo, pngBomb, rotatedJpeg, svgWithExternalEntity, truncated } from './fixtures'
import {
  allowOnlyDecoders,
  defaultLimits,
  ImageError,
  makeThumbnail,
  makeThumbnails,
  readImageInfo,
  transformImage,
} from './index'

const failure = async (work: Promise<unknown>): Promise<ImageError> => {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(ImageError)
  return error as ImageError
}

describe('readImageInfo', () => {
  it('reads format, dimensions and size from the header', async () => {
    const png = await photo(300, 200, 'png', { alpha: true })
    expect(await readImageInfo(png)).toEqual({
      format: 'png',
      width: 300,
      height: 200,
      orientation: 1,
      hasAlpha: true,
      bytes: png.length,
      pages: 1,
    })
  })

  it('reports display dimensions of an EXIF-rotated photo', async () => {
    const info = await readImageInfo(await rotatedJpeg(400, 200))
    expect(info).toMatchObject({ width: 200, height: 400, orientation: 6 })
  })
})

describe('makeThumbnail', () => {
  it.each(['jpeg', 'png', 'webp'] as const)('shrinks a %s into the box, aspect kept', async (format) => {
    const thumb = await makeThumbnail(await photo(1200, 800, format), { width: 256, format: 'jpeg' })
    expect(thumb).toMatchObject({ width: 256, height: 171, format: 'jpeg', contentType: 'image/jpeg' })
    expect(await sharp(thumb.data).metadata()).toMatchObject({ format: 'jpeg', width: 256, height: 171 })
    expect(thumb.source.format).toBe(format)
  })

  it('never upscales a photo smaller than the box', async () => {
    const thumb = await makeThumbnail(await photo(100, 50), { width: 256, format: 'webp' })
    expect(thumb).toMatchObject({ width: 100, height: 50, contentType: 'image/webp' })
  })

  it('applies EXIF orientation and strips metadata', async () => {
    const thumb = await makeThumbnail(await rotatedJpeg(400, 200), { width: 100, format: 'jpeg' })
    expect(thumb).toMatchObject({ width: 100, height: 200 })
    const metadata = await sharp(thumb.data).metadata()
    expect(metadata.orientation).toBeUndefined()
    expect(metadata.exif).toBeUndefined()
    // Orientation 6 turns the red left half into the top half.
    const { data } = await sharp(thumb.data)
      .extract({ left: 50, top: 20, width: 1, height: 1 })
      .raw()
      .toBuffer({
        resolveWithObject: true,
      })
    expect(data[0]).toBeGreaterThan(200)
    expect(data[2]).toBeLessThan(60)
  })

  it('lays transparent pixels on white for JPEG', async () => {
    const thumb = await makeThumbnail(await photo(200, 100, 'png', { alpha: true }), {
      width: 200,
      format: 'jpeg',
    })
    const { data } = await sharp(thumb.data)
      .extract({ left: 10, top: 10, width: 1, height: 1 })
      .raw()
      .toBuffer({
        resolveWithObject: true,
      })
    expect([...data]).toEqual([255, 255, 255])
  })

  it('makes several sizes from one decode, each as if made alone', async () => {
    const input = await photo(2000, 1500)
    const { source, thumbnails } = await makeThumbnails(input, [
      { width: 256, format: 'jpeg' },
      { width: 1024, format: 'webp', quality: 75 },
    ])
    expect(source).toMatchObject({ width: 2000, height: 1500 })
    expect(thumbnails.map(({ width, height, format }) => ({ width, height, format }))).toEqual([
      { width: 256, height: 192, format: 'jpeg' },
      { width: 1024, height: 768, format: 'webp' },
    ])
  })

  it('is deterministic: the same input gives the same bytes', async () => {
    const input = await photo(640, 480)
    const [a, b] = await Promise.all([1, 2].map(() => makeThumbnail(input, { width: 128, format: 'jpeg' })))
    expect(a!.data.equals(b!.data)).toBe(true)
  })

  it('refuses impossible options', async () => {
    expect((await failure(makeThumbnail(await photo(10, 10), { width: 0, format: 'jpeg' }))).code).toBe(
      'invalid-options',
    )
    expect(
      (await failure(makeThumbnail(await photo(10, 10), { width: 10, format: 'jpeg', quality: 101 }))).code,
    ).toBe('invalid-options')
  })
})

describe('bad input', () => {
  const cases: [string, () => Promise<Buffer> | Buffer, string][] = [
    ['zero bytes', () => Buffer.alloc(0), 'empty'],
    ['text', () => Buffer.from('<html><body>not a photo</body></html>'), 'not-an-image'],
    ['a BMP', bmp, 'unsupported-format'],
    [
      'an SVG',
      () =>
        Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
        ),
      'unsupported-format',
    ],
    ['a truncated JPEG', async () => truncated(await photo(800, 600)), 'truncated'],
    ['a truncated PNG', async () => truncated(await photo(800, 600, 'png')), 'truncated'],
    // libwebp checks the RIFF length up front, so a cut WebP fails as a corrupt header.
    ['a truncated WebP', async () => truncated(await photo(800, 600, 'webp')), 'corrupt'],
    ['a JPEG cut inside its header', async () => (await photo(800, 600)).subarray(0, 200), 'corrupt'],
    ['a PNG bomb', () => pngBomb(), 'too-many-pixels'],
    ['a JPEG bomb', () => jpegBomb(), 'too-many-pixels'],
  ]

  it.each(cases)('classifies %s as %s, not retryable', async (_name, make, code) => {
    const error = await failure(makeThumbnail(await make(), { width: 64, format: 'jpeg' }))
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable: false })
  })

  it('refuses an SVG with an external entity by its bytes, and no libvips loader would take it', async () => {
    const svg = svgWithExternalEntity()
    const error = await failure(readImageInfo(svg))
    expect({ code: error.code, message: error.message }).toEqual({
      code: 'unsupported-format',
      message: 'Image format svg is not supported',
    })
    // Past our own check too: librsvg is blocked, so sharp cannot identify the bytes at all.
    await expect(sharp(svg).metadata()).rejects.toThrow(/unsupported image format/)
  })

  it('refuses TIFF, unread, when the formats leave it out, and its loader is then blocked', async () => {
    const tiff = await photo(64, 48, 'tiff')
    const formats = defaultLimits.formats.filter((format) => format !== 'tiff')
    expect((await failure(readImageInfo(tiff, { ...defaultLimits, formats }))).code).toBe(
      'unsupported-format',
    )
    allowOnlyDecoders(formats)
    try {
      await expect(sharp(tiff).metadata()).rejects.toThrow(/unsupported image format/)
      await expect(sharp(await photo(64, 48, 'gif')).metadata()).resolves.toMatchObject({ format: 'gif' })
    } finally {
      allowOnlyDecoders(defaultLimits.formats)
    }
  })

  it('refuses more bytes than the cap before decoding', async () => {
    const limits = { ...defaultLimits, maxInputBytes: 1000 }
    expect((await failure(readImageInfo(await photo(200, 200, 'png'), limits))).code).toBe('too-large')
  })

  it('refuses more pixels than the cap', async () => {
    const limits = { ...defaultLimits, maxInputPixels: 100 * 100 }
    const error = await failure(makeThumbnail(await photo(101, 100), { width: 10, format: 'jpeg' }, limits))
    expect(error.code).toBe('too-many-pixels')
    expect(error.message).toContain('101×100')
  })
})

describe('transformImage', () => {
  it('runs steps in the order given: crop, then resize, then one channel', async () => {
    const result = await transformImage(
      await photo(1000, 500),
      [
        { op: 'crop', left: 500, top: 0, width: 500, height: 500 },
        { op: 'resize', width: 100 },
        { op: 'channel', channel: 'red' },
      ],
      { format: 'png' },
    )
    expect(result).toMatchObject({ width: 100, height: 100, format: 'png', contentType: 'image/png' })
    const metadata = await sharp(result.data).metadata()
    expect(metadata.channels).toBe(1)
    // The right half of the gradient has red ≥ 127 everywhere (less a little for JPEG and Lanczos).
    const { data } = await sharp(result.data).raw().toBuffer({ resolveWithObject: true })
    expect(data.reduce((min, value) => Math.min(min, value), 255)).toBeGreaterThanOrEqual(110)
  })

  it('refuses a crop outside the image', async () => {
    const error = await failure(
      transformImage(await photo(100, 100), [{ op: 'crop', left: 50, top: 0, width: 60, height: 10 }], {
        format: 'jpeg',
      }),
    )
    expect(error.code).toBe('invalid-options')
  })

  it('greyscales and rotates', async () => {
    const result = await transformImage(
      await photo(300, 100),
      [{ op: 'rotate', angle: 90 }, { op: 'greyscale' }],
      { format: 'jpeg' },
    )
    expect(result).toMatchObject({ width: 100, height: 300 })
  })
})
