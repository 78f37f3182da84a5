/**
 * Test images generated with sharp itself, so no binary fixtures live in the repo. Shared with the
 * thumbnailer's and the workflows' tests through `@app/images/fixtures`.
 */
import { crc32, deflateSync } from 'node:zlib'
import sharp from 'sharp'

/** A gradient, so resizing and encoding do real work (a flat colour compresses to nothing). */
export const photo = async (
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff' = 'jpeg',
  options: {
    alpha?: boolean
    quality?: number
    noise?: number
    /** PNG only: filter rows as libpng, editors and phones do (sharp writes them unfiltered by default). */
    adaptiveFiltering?: boolean
  } = {},
): Promise<Buffer> => {
  const channels = options.alpha ? 4 : 3
  const pixels = Buffer.alloc(width * height * channels)
  // Optional sensor-like noise of ±`noise` levels (deterministic LCG): camera JPEGs are this busy,
  // and it is what makes a 24 MP JPEG weigh ~10 MB and cost real decode time.
  const amplitude = options.noise ?? 0
  let seed = 42
  const jitter = () => {
    if (!amplitude) return 0
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return (seed % (2 * amplitude + 1)) - amplitude
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * channels
      // Typed arrays wrap out-of-range values (256 → 0), so clamp.
      pixels[at] = Math.max(0, Math.min(255, (x * 255) / width + jitter()))
      pixels[at + 1] = Math.max(0, Math.min(255, (y * 255) / height + jitter()))
      pixels[at + 2] = Math.max(0, Math.min(255, ((x ^ y) & 0xff) / 2 + jitter()))
      if (options.alpha) pixels[at + 3] = x < width / 2 ? 0 : 255
    }
  }
  const image = sharp(pixels, { raw: { width, height, channels } })
  const formatOptions =
    format === 'jpeg' || format === 'webp'
      ? { quality: options.quality ?? 90 }
      : format === 'png' && options.adaptiveFiltering
        ? { adaptiveFiltering: true }
        : {}
  return image.toFormat(format, formatOptions).toBuffer()
}

/**
 * A landscape JPEG stored `width`×`height` but tagged EXIF orientation 6 (rotate 90° clockwise),
 * as phones write portrait photos: it displays `height`×`width`. Its left half is red, right half
 * blue, so a test can tell whether the rotation was applied.
 */
export const rotatedJpeg = async (width: number, height: number): Promise<Buffer> => {
  const left = await sharp({ create: { width: width / 2, height, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer()
  return sharp({ create: { width, height, channels: 3, background: '#0000ff' } })
    .composite([{ input: left, left: 0, top: 0 }])
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: 6 })
    .toBuffer()
}

/** The first `fraction` of a file, as an interrupted upload leaves it. */
export const truncated = (image: Buffer, fraction = 0.5): Buffer =>
  image.subarray(0, Math.floor(image.length * fraction))

/**
 * A 180-byte PNG whose header declares `width`×`height` pixels (a decompression bomb): its one IDAT
 * chunk holds a few zlib-compressed zero rows. Decoding it fully would need width×height×3 bytes.
 */
export const pngBomb = (width = 50_000, height = 50_000): Buffer => {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([length, body, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, deflate, no filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(width * 3 + 1))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A small JPEG whose SOF header is rewritten to declare `width`×`height` (max 65535 each). */
export const jpegBomb = async (width = 60_000, height = 60_000): Promise<Buffer> => {
  const jpeg = Buffer.from(await photo(64, 64))
  for (let at = 2; at < jpeg.length - 9; ) {
    const marker = jpeg[at + 1]!
    const length = jpeg.readUInt16BE(at + 2)
    if (marker >= 0xc0 && marker <= 0xc2) {
      jpeg.writeUInt16BE(height, at + 5)
      jpeg.writeUInt16BE(width, at + 7)
      return jpeg
    }
    at += 2 + length
  }
  throw new Error('no SOF marker found')
}

/** A minimal BMP header: a real image format that libvips (as shipped with sharp) cannot read. */
export const bmp = (): Buffer => {
  const file = Buffer.alloc(58)
  file.write('BM', 0, 'ascii')
  file.writeUInt32LE(58, 2)
  file.writeUInt32LE(54, 10)
  file.writeUInt32LE(40, 14)
  file.writeInt32LE(1, 18)
  file.writeInt32LE(1, 22)
  file.writeUInt16LE(1, 26)
  file.writeUInt16LE(24, 28)
  return file
}

/**
 * An SVG whose DOCTYPE declares an external entity (XXE): a decoder that resolved it would read a
 * local file into the picture. It must be refused before librsvg sees it.
 */
export const svgWithExternalEntity = (): Buffer =>
  Buffer.from(
    `<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n` +
      `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><text y="20">&secret;</text></svg>\n`,
  )
