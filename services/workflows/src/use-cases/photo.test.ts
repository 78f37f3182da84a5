import { NotFoundError, ValidationError } from '@app/domain'
import { ImageError } from '@app/images'
import { bmp, photo, pngBomb, rotatedJpeg, truncated } from '@app/images/fixtures'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { PhotoStore } from '../ports'
import {
  adjustImageSize,
  CROP_PX,
  centredSquare,
  cropImage,
  extractMetadataBranch,
  processPhoto,
  RESIZED_MAX_PX,
  updateColorChannel,
} from './photo'
import { type PhotoJobState, photoJobInput, photoResult, storePhotoInput } from './photo-states'

const UPLOADS = 'blog-uploads'

const memoryStore = (source?: Uint8Array) => {
  const written = new Map<string, { body: Uint8Array; contentType: string }>()
  const store: PhotoStore = {
    read: async ({ bucket, key }) => (bucket === UPLOADS && key === 'photos/p.img' ? source : undefined),
    async write(key, body, contentType) {
      written.set(key, { body, contentType })
      return key
    },
  }
  return { store, written }
}

const job = { jobId: 'job-1', owner: 'u1', source: { bucket: UPLOADS, key: 'photos/p.img' } }

/** Runs the whole pipeline's logic (first state, the four branches, Store in DB) on one photo. */
const runAll = async (bytes: Uint8Array) => {
  const { store, written } = memoryStore(bytes)
  const state: PhotoJobState = await processPhoto(job, store, UPLOADS)
  const branches = await Promise.all([
    extractMetadataBranch(state, store),
    adjustImageSize(state, store),
    updateColorChannel(state, store),
    cropImage(state, store),
  ])
  return { state, branches, written, result: photoResult(storePhotoInput.parse({ ...state, branches })) }
}

describe('photo pipeline steps', () => {
  it.each(['jpeg', 'png', 'webp', 'gif', 'tiff'] as const)(
    'processes a %s photo in every branch',
    async (format) => {
      const { state, written, result } = await runAll(await photo(1280, 720, format))
      expect(state.info).toMatchObject({ format, width: 1280, height: 720 })
      expect(result.renditions.resized).toMatchObject({ width: RESIZED_MAX_PX, height: 576, format: 'webp' })
      expect(result.renditions.cropped).toMatchObject({ width: CROP_PX, height: CROP_PX, format: 'jpeg' })
      expect(result.renditions.greyscale).toMatchObject({ width: 1280, height: 720 })
      expect(result.metadata).toMatchObject({ key: 'photos/job-1/metadata.json', format, width: 1280 })
      expect([...written.keys()].sort()).toEqual([
        'photos/job-1/cropped.jpg',
        'photos/job-1/greyscale.jpg',
        'photos/job-1/metadata.json',
        'photos/job-1/resized.webp',
      ])
      // Grey: the three channels carry the same values (JPEG is encoded as sRGB, so three channels).
      const grey = await sharp(written.get('photos/job-1/greyscale.jpg')!.body).stats()
      const [r, g, b] = grey.channels.map((channel) => Math.round(channel.mean))
      expect(Math.abs(r! - g!) + Math.abs(g! - b!)).toBeLessThanOrEqual(1)
      const source = await sharp(await photo(16, 16, format)).stats()
      expect(Math.abs(source.channels[0]!.mean - source.channels[2]!.mean)).toBeGreaterThan(10)
      const resized = await sharp(written.get('photos/job-1/resized.webp')!.body).metadata()
      expect(resized).toMatchObject({ format: 'webp', width: RESIZED_MAX_PX })
    },
  )

  it('never enlarges a small photo and crops its centred square', async () => {
    const { result } = await runAll(await photo(300, 200, 'png', { alpha: true }))
    expect(result.renditions.resized).toMatchObject({ width: 300, height: 200 })
    expect(result.renditions.cropped).toMatchObject({ width: 200, height: 200 })
    expect(result.info.hasAlpha).toBe(true)
  })

  it('works on the displayed orientation of an EXIF-rotated photo', async () => {
    const { state, result } = await runAll(await rotatedJpeg(800, 400))
    expect(state.info).toMatchObject({ width: 400, height: 800, orientation: 6 })
    expect(result.renditions.resized).toMatchObject({ width: 400, height: 800 })
    expect(result.renditions.cropped).toMatchObject({ width: 400, height: 400 })
  })

  it('refuses what is not a supported image at the first state with a typed, final error', async () => {
    for (const bytes of [bmp(), Buffer.from('just text'), pngBomb()]) {
      const { store } = memoryStore(bytes)
      await expect(processPhoto(job, store, UPLOADS)).rejects.toMatchObject({
        name: 'ImageError',
        retryable: false,
      })
    }
  })

  it('lets the first state pass a truncated photo (it reads headers only) and fails the decoding branches', async () => {
    const { store } = memoryStore(truncated(await photo(400, 400)))
    const state = await processPhoto(job, store, UPLOADS)
    await expect(adjustImageSize(state, store)).rejects.toMatchObject({ code: 'truncated' })
    await expect(cropImage(state, store)).rejects.toBeInstanceOf(ImageError)
  })

  it('refuses a missing photo, another bucket, and input that breaks the schema', async () => {
    const { store } = memoryStore(undefined)
    await expect(processPhoto(job, store, UPLOADS)).rejects.toBeInstanceOf(NotFoundError)
    await expect(
      processPhoto({ ...job, source: { ...job.source, bucket: 'x' } }, store, UPLOADS),
    ).rejects.toBeInstanceOf(ValidationError)
    expect(
      photoJobInput.safeParse({ ...job, source: { bucket: UPLOADS, key: 'private/a.jpg' } }).success,
    ).toBe(false)
    expect(photoJobInput.safeParse({ ...job, source: { bucket: UPLOADS, key: 'photos/../x' } }).success).toBe(
      false,
    )
    expect(photoJobInput.safeParse({ ...job, jobId: 'a b' }).success).toBe(false)
  })

  it('needs every branch in Store in DB', async () => {
    const { state, branches } = await runAll(await photo(64, 64))
    expect(storePhotoInput.safeParse({ ...state, branches: branches.slice(1) }).success).toBe(false)
    const duplicated = [branches[0]!, branches[0]!, branches[2]!, branches[3]!]
    expect(() => photoResult(storePhotoInput.parse({ ...state, branches: duplicated }))).toThrow(/resized/)
  })
})

describe('centredSquare', () => {
  it('centres the largest square of landscape and portrait images', () => {
    expect(centredSquare(1600, 900)).toEqual({ left: 350, top: 0, width: 900, height: 900 })
    expect(centredSquare(901, 1600)).toEqual({ left: 0, top: 349, width: 901, height: 901 })
    expect(centredSquare(5, 5)).toEqual({ left: 0, top: 0, width: 5, height: 5 })
  })
})
