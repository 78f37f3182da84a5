import { MAX_S3_KEY_BYTES } from '@app/domain/photos'
import { defaultLimits, readImageInfo } from '@app/images'
import { jpegBomb, photo, pngBomb, rotatedJpeg, truncated } from '@app/images/fixtures'
import { beforeEach, describe, expect, it } from 'vitest'
import { sharpImaging } from '../adapters/imaging'
import { memoryRecords, memoryStore, memoryUploads, pendingItem } from '../testing/fakes'
import { type ThumbnailPhotoDeps, thumbnailPhoto } from './thumbnail-photo'

const KEY = 'photos/trip/0b6e6d52-2a41-4d5c-9d7f-2f0f3c1d2e4a.jpg'
const firstAttempt = { number: 1, max: 5 }

let uploads: ReturnType<typeof memoryUploads>
let store: ReturnType<typeof memoryStore>
let records: ReturnType<typeof memoryRecords>
let deps: ThumbnailPhotoDeps

beforeEach(() => {
  uploads = memoryUploads()
  store = memoryStore()
  records = memoryRecords()
  records.items.set(KEY, pendingItem(KEY))
  deps = {
    source: uploads.source,
    store,
    records,
    imaging: sharpImaging({ ...defaultLimits, maxInputPixels: 50_000_000 }),
    clock: { now: () => new Date('2026-11-22T10:00:05.000Z') },
    settings: { widths: [256, 1024], format: 'webp', quality: 80, maxInputBytes: 5_000_000 },
  }
})

describe('thumbnailPhoto', () => {
  it('stores one thumbnail per width and marks the item ready', async () => {
    const upload = uploads.put(KEY, await photo(2000, 1500))
    const outcome = await thumbnailPhoto(upload, firstAttempt, deps)
    const keys = [1024, 256].map(
      (width) => `trip/0b6e6d52-2a41-4d5c-9d7f-2f0f3c1d2e4a.jpg/${upload.etag}/${width}.webp`,
    )
    expect(outcome).toEqual({
      status: 'ready',
      thumbnails: [
        { width: 256, height: 192, key: keys[1], contentType: 'image/webp' },
        { width: 1024, height: 768, key: keys[0], contentType: 'image/webp' },
      ],
    })
    expect([...store.objects.keys()].sort()).toEqual(keys)
    const stored = await readImageInfo(store.objects.get(keys[1]!)!.body)
    expect(stored).toMatchObject({ format: 'webp', width: 256, height: 192 })
    expect(records.items.get(KEY)).toMatchObject({
      status: 'ready',
      width: 2000,
      height: 1500,
      format: 'jpeg',
      size: upload.size,
      etag: upload.etag,
      sourceSequencer: upload.sequencer,
      processedAt: '2026-11-22T10:00:05.000Z',
      postSlug: 'trip',
    })
  })

  it('records display dimensions of an EXIF-rotated photo', async () => {
    const upload = uploads.put(KEY, await rotatedJpeg(1600, 800))
    const outcome = await thumbnailPhoto(upload, firstAttempt, deps)
    expect(outcome).toMatchObject({
      status: 'ready',
      thumbnails: [
        { width: 256, height: 512 },
        { width: 800, height: 1600 },
      ],
    })
    expect(records.items.get(KEY)).toMatchObject({ width: 800, height: 1600 })
  })

  it('does the work once when the same upload is delivered twice', async () => {
    const upload = uploads.put(KEY, await photo(800, 600))
    await thumbnailPhoto(upload, firstAttempt, deps)
    const after = { puts: store.puts, reads: uploads.source.reads, item: records.items.get(KEY) }
    expect(await thumbnailPhoto(upload, { number: 2, max: 5 }, deps)).toEqual({ status: 'duplicate' })
    expect({ puts: store.puts, reads: uploads.source.reads, item: records.items.get(KEY) }).toEqual(after)
  })

  it('gives identical output when two deliveries race', async () => {
    const upload = uploads.put(KEY, await photo(800, 600))
    const [a, b] = await Promise.all([
      thumbnailPhoto(upload, firstAttempt, deps),
      thumbnailPhoto(upload, firstAttempt, deps),
    ])
    expect(a).toEqual(b)
    expect(store.objects.size).toBe(2)
    expect(records.items.get(KEY)).toMatchObject({ status: 'ready', etag: upload.etag })
  })

  it('keeps the newest upload when an older event arrives late', async () => {
    const older = uploads.put(KEY, await photo(800, 600))
    const newer = uploads.put(KEY, await photo(640, 480))
    await thumbnailPhoto(newer, firstAttempt, deps)
    expect(await thumbnailPhoto(older, firstAttempt, deps)).toEqual({ status: 'superseded' })
    expect(records.items.get(KEY)).toMatchObject({ status: 'ready', etag: newer.etag, width: 640 })
  })

  it('skips an event whose object was overwritten since (the newer event does the work)', async () => {
    const older = uploads.put(KEY, await photo(800, 600))
    uploads.put(KEY, await photo(640, 480))
    expect(await thumbnailPhoto(older, firstAttempt, deps)).toEqual({ status: 'superseded' })
    expect(store.puts).toBe(0)
    expect(records.items.get(KEY)?.status).toBe('pending')
  })

  it('replaces an earlier result when the photo is uploaded again', async () => {
    await thumbnailPhoto(uploads.put(KEY, Buffer.from('not a photo')), firstAttempt, deps)
    expect(records.items.get(KEY)).toMatchObject({ status: 'failed', reason: 'not-an-image' })
    const again = uploads.put(KEY, await photo(300, 200))
    expect(await thumbnailPhoto(again, firstAttempt, deps)).toMatchObject({ status: 'ready' })
    const item = records.items.get(KEY)
    expect(item).toMatchObject({ status: 'ready', etag: again.etag })
    expect(item).not.toHaveProperty('reason')
  })

  it('does nothing for an object without an item', async () => {
    const upload = uploads.put('photos/trip/unknown.jpg', await photo(300, 200))
    expect(await thumbnailPhoto(upload, firstAttempt, deps)).toEqual({ status: 'no-record' })
    expect({ reads: uploads.source.reads, puts: store.puts }).toEqual({ reads: 0, puts: 0 })
  })

  describe('bad input is recorded as failed, with a reason, and acknowledged', () => {
    it.each([
      ['zero bytes', () => Buffer.alloc(0), 'empty'],
      ['text', () => Buffer.from('{"hello":"world"}'), 'not-an-image'],
      ['a truncated JPEG', async () => truncated(await photo(800, 600)), 'truncated'],
      ['a truncated PNG', async () => truncated(await photo(800, 600, 'png')), 'truncated', 'image/png'],
      ['a PNG declared as JPEG', () => photo(80, 60, 'png'), 'wrong-content-type'],
      ['a JPEG declared as TIFF', () => photo(80, 60), 'unsupported-format', 'image/tiff'],
      ['a PNG bomb', () => pngBomb(), 'too-many-pixels'],
      ['a JPEG bomb', () => jpegBomb(), 'too-many-pixels'],
      [
        'an SVG',
        () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>'),
        'unsupported-format',
      ],
    ])('%s → %s', async (_name, make, reason, contentType = 'image/jpeg') => {
      const upload = uploads.put(KEY, await make(), contentType)
      expect(await thumbnailPhoto(upload, firstAttempt, deps)).toEqual({ status: 'failed', reason })
      expect(store.puts).toBe(0)
      expect(records.items.get(KEY)).toMatchObject({
        status: 'failed',
        reason,
        etag: upload.etag,
        size: upload.size,
      })
      expect(String(records.items.get(KEY)?.reasonDetail).length).toBeGreaterThan(0)
    })

    it('records in words why a PNG declared as JPEG was refused', async () => {
      await thumbnailPhoto(uploads.put(KEY, await photo(80, 60, 'png')), firstAttempt, deps)
      expect(records.items.get(KEY)).toMatchObject({
        reason: 'wrong-content-type',
        reasonDetail: 'The file is a PNG image but was uploaded as image/jpeg',
      })
    })

    it('refuses an upload above the byte cap without downloading it', async () => {
      const upload = { ...uploads.put(KEY, Buffer.alloc(10)), size: 5_000_001 }
      expect(await thumbnailPhoto(upload, firstAttempt, deps)).toEqual({
        status: 'failed',
        reason: 'too-large',
      })
      expect(uploads.source.reads).toBe(0)
    })

    it('records a photo deleted before processing as source-missing', async () => {
      const upload = uploads.put(KEY, await photo(100, 100))
      uploads.objects.delete(KEY)
      expect(await thumbnailPhoto(upload, firstAttempt, deps)).toEqual({
        status: 'failed',
        reason: 'source-missing',
      })
    })

    it('refuses a key too long to derive thumbnail keys from', async () => {
      const key = `photos/${'é'.repeat(MAX_S3_KEY_BYTES / 2 - 10)}.jpg`
      records.items.set(key, pendingItem(key))
      const outcome = await thumbnailPhoto(uploads.put(key, await photo(100, 100)), firstAttempt, deps)
      expect(outcome).toEqual({ status: 'failed', reason: 'invalid-key' })
    })
  })

  describe('transient failures', () => {
    it('throw, so the queue retries, and leave the item pending', async () => {
      const upload = uploads.put(KEY, await photo(800, 600))
      store.failNext = 1
      await expect(thumbnailPhoto(upload, firstAttempt, deps)).rejects.toThrow('SlowDown')
      expect(records.items.get(KEY)?.status).toBe('pending')
      expect(await thumbnailPhoto(upload, { number: 2, max: 5 }, deps)).toMatchObject({ status: 'ready' })
    })

    it('on the last attempt, are recorded as failed, still thrown (to the DLQ), and a redrive can still succeed', async () => {
      const upload = uploads.put(KEY, await photo(800, 600))
      // Two puts per attempt (two widths): both of the last attempt fail, then one of the redrive's.
      store.failNext = 3
      await expect(thumbnailPhoto(upload, { number: 5, max: 5 }, deps)).rejects.toThrow('SlowDown')
      expect(records.items.get(KEY)).toMatchObject({ status: 'failed', reason: 'processing-error' })
      expect(String(records.items.get(KEY)?.reasonDetail)).not.toContain('SlowDown')
      // Redriven from the DLQ: the receive count starts again.
      await expect(thumbnailPhoto(upload, firstAttempt, deps)).rejects.toThrow('SlowDown')
      expect(await thumbnailPhoto(upload, { number: 2, max: 5 }, deps)).toMatchObject({ status: 'ready' })
      expect(records.items.get(KEY)).toMatchObject({ status: 'ready' })
    })
  })
})
