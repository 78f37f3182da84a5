/**
 * One implementation, one input, in a fresh process (so its peak RSS is its own): prints
 * `{ ms: number[], peakRssMb, anonPeakMb, baselineRssMb }` as JSON. Spawned by ./index.ts.
 * argv: <impl: core|handler|jimp|inflate|decode> <input file> <warmups> <runs>
 */
import { readFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { defaultLimits, makeThumbnail, readImageInfo, transformImage } from '@app/images'
import { sharpImaging } from '../src/adapters/imaging'

const [impl, file, warmups, runs] = process.argv.slice(2) as [string, string, string, string]
const baselineRssMb = process.memoryUsage().rss / 2 ** 20
const baselineFileMb =
  Number(/RssFile:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN) / 1024
const input = readFileSync(file)

/** A PNG's image data: its IDAT chunks' payloads, one zlib stream. */
const idat = (png: Buffer): Buffer => {
  const parts: Buffer[] = []
  for (let at = 8; at + 8 <= png.length; ) {
    const length = png.readUInt32BE(at)
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') parts.push(png.subarray(at + 8, at + 8 + length))
    at += 12 + length
  }
  return Buffer.concat(parts)
}

const imageData = impl === 'inflate' ? idat(input) : Buffer.alloc(0)

// The thumbnail the comparison is about: 256 px wide JPEG at quality 80, EXIF applied, metadata stripped.
const jobs: Record<string, () => Promise<unknown>> = {
  core: () => makeThumbnail(input, { width: 256, format: 'jpeg', quality: 80 }),
  // What makeThumbnails does per photo with the deployed settings (256 + 1024 px WebP).
  handler: () =>
    sharpImaging(defaultLimits).thumbnails(input, {
      widths: [256, 1024],
      format: 'webp',
      quality: 80,
      declared: { contentType: 'image/jpeg', format: 'jpeg' },
    }),
  jimp: async () => {
    const { Jimp } = await import('jimp')
    const image = await Jimp.read(input)
    image.resize({ w: 256 })
    return image.getBuffer('image/jpeg', { quality: 80 })
  },
  // Floors for a PNG, where no decoder can skip pixels. `inflate`: Node's zlib on the image data
  // alone, the first step of pngjs (jimp's decoder). `decode`: libvips decoding every row (inflate,
  // CRC, unfiltering) with our pipeline settings, then keeping one pixel: no resize, no encode.
  inflate: async () => inflateSync(imageData),
  decode: async () => {
    const { height } = await readImageInfo(input)
    return transformImage(input, [{ op: 'crop', left: 0, top: height - 1, width: 1, height: 1 }], {
      format: 'png',
    })
  },
}
const job = jobs[impl]
if (!job) throw new Error(`unknown implementation ${impl}`)

for (let i = 0; i < Number(warmups); i++) await job()
const ms: number[] = []
for (let i = 0; i < Number(runs); i++) {
  const started = performance.now()
  await job()
  ms.push(performance.now() - started)
}
// VmHWM is the peak RSS of this process's own address space. ru_maxrss (process.resourceUsage) is
// not: Linux carries the parent's RSS across fork + exec into it, so a worker spawned by the bench
// (which holds the generated images) would report the bench's size. RSS also counts file-backed
// pages (the node binary, libvips' .so), how many depends on the page cache, not on us; the
// anonymous part is the memory we allocate.
const status = readFileSync('/proc/self/status', 'utf8')
const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN)
const peakRssMb = kib('VmHWM') / 1024
const fileBackedMb = kib('RssFile') / 1024
console.log(
  JSON.stringify({ ms, peakRssMb, anonPeakMb: peakRssMb - fileBackedMb, baselineRssMb, baselineFileMb }),
)
