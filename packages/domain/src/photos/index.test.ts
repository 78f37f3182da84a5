import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors'
import { photoItemSchema } from '../posts/photos'
import {
  classifyFailure,
  decodeS3EventKey,
  encodeS3EventKey,
  etagSchema,
  MAX_THUMBNAIL_WIDTH,
  normaliseSequencer,
  PhotoProcessingError,
  photoResultSchema,
  plannedWidths,
  staleness,
  thumbnailKey,
  thumbnailSize,
  thumbnailWidthsSchema,
} from './index'

describe('event keys', () => {
  it('decodes keys as S3 encodes them in event records', () => {
    expect(decodeS3EventKey('photos/my+post/%C3%A9t%C3%A9+%281%29.jpg')).toBe('photos/my post/été (1).jpg')
    expect(decodeS3EventKey('photos/a%2Bb.jpg')).toBe('photos/a+b.jpg')
    expect(decodeS3EventKey('photos/%E0%A4%A.jpg')).toBeUndefined()
  })

  it('encodes spaces as +, keeps slashes, escapes + and non-ASCII', () => {
    expect(encodeS3EventKey('photos/a b+c/日本.jpg')).toBe('photos/a+b%2Bc/%E6%97%A5%E6%9C%AC.jpg')
  })

  it('round-trips every key', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        (key) => decodeS3EventKey(encodeS3EventKey(key)) === key,
      ),
      {
        numRuns: 1000,
      },
    )
  })
})

describe('thumbnailKey', () => {
  it('puts source, etag and width in the key, without the photos/ prefix', () => {
    expect(thumbnailKey('photos/trip/1.jpg', 'abc', 256, 'webp')).toBe('trip/1.jpg/abc/256.webp')
  })

  it('gives different uploads and sizes different keys', () => {
    const segment = fc.stringMatching(/^[a-z0-9 ./é]{1,12}$/)
    const upload = fc.record({
      key: segment.map((s) => `photos/${s}`),
      etag: fc.stringMatching(/^[0-9a-f]{32}$/),
      width: fc.integer({ min: 16, max: 4096 }),
    })
    fc.assert(
      fc.property(upload, upload, (a, b) => {
        const same = a.key === b.key && a.etag === b.etag && a.width === b.width
        return (
          same ===
          (thumbnailKey(a.key, a.etag, a.width, 'jpg') === thumbnailKey(b.key, b.etag, b.width, 'jpg'))
        )
      }),
      { numRuns: 1000 },
    )
  })
})

describe('etagSchema', () => {
  it('accepts single-part and multipart ETags, quoted or not', () => {
    expect(etagSchema.parse('"0123456789abcdef0123456789abcdef"')).toBe('0123456789abcdef0123456789abcdef')
    expect(etagSchema.parse('0123456789abcdef0123456789abcdef-12')).toBe(
      '0123456789abcdef0123456789abcdef-12',
    )
    expect(etagSchema.safeParse('../../etc').success).toBe(false)
  })
})

describe('sequencers', () => {
  it('order as hex numbers once normalised, whatever their length', () => {
    expect(normaliseSequencer('0055AED6DCD90281E5') < normaliseSequencer('0055AED6DCD90281E6')).toBe(true)
    expect(normaliseSequencer('FF') < normaliseSequencer('0100')).toBe(true)
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 120n }),
        fc.bigInt({ min: 0n, max: 2n ** 120n }),
        (a, b) => {
          const [x, y] = [normaliseSequencer(a.toString(16)), normaliseSequencer(b.toString(16))]
          return a < b === x < y
        },
      ),
    )
  })
})

describe('sizing', () => {
  it('keeps the aspect and never upscales', () => {
    expect(thumbnailSize({ width: 1200, height: 800 }, 256)).toEqual({ width: 256, height: 171 })
    expect(thumbnailSize({ width: 100, height: 50 }, 256)).toEqual({ width: 100, height: 50 })
    expect(thumbnailSize({ width: 10_000, height: 1 }, 256)).toEqual({ width: 256, height: 1 })
  })

  it('holds for any photo and width', () => {
    const side = fc.integer({ min: 1, max: 20_000 })
    fc.assert(
      fc.property(side, side, fc.integer({ min: 1, max: MAX_THUMBNAIL_WIDTH }), (width, height, target) => {
        const size = thumbnailSize({ width, height }, target)
        expect(size.width).toBeLessThanOrEqual(Math.min(width, target))
        expect(size.height).toBeLessThanOrEqual(height)
        expect(size.height).toBeGreaterThanOrEqual(1)
        // Aspect kept to within rounding, except where a sliver is held at 1 px.
        if (size.height > 1)
          expect(Math.abs(size.height - (height * size.width) / width)).toBeLessThanOrEqual(0.5)
      }),
    )
  })

  it('plans each distinct width once, capped at the photo width', () => {
    expect(plannedWidths({ width: 4000, height: 3000 }, [256, 1024])).toEqual([256, 1024])
    expect(plannedWidths({ width: 600, height: 400 }, [256, 1024])).toEqual([256, 600])
    expect(plannedWidths({ width: 200, height: 400 }, [256, 1024])).toEqual([200])
  })

  it('reads widths from configuration', () => {
    expect(thumbnailWidthsSchema.parse('1024, 256,256')).toEqual([256, 1024])
    expect(thumbnailWidthsSchema.safeParse('256,abc').success).toBe(false)
    expect(thumbnailWidthsSchema.safeParse('8').success).toBe(false)
  })
})

describe('classifyFailure', () => {
  it('keeps the verdict of image errors about the input', () => {
    const error = Object.assign(new Error('declares 50000×50000 pixels'), {
      code: 'too-many-pixels',
      retryable: false,
    })
    expect(classifyFailure(error)).toEqual({
      retryable: false,
      reason: 'too-many-pixels',
      detail: 'declares 50000×50000 pixels',
    })
  })

  it('treats our own detected problems as permanent', () => {
    expect(classifyFailure(new PhotoProcessingError('source-missing', 'gone'))).toMatchObject({
      retryable: false,
      reason: 'source-missing',
    })
  })

  it('retries everything else, without leaking its message', () => {
    for (const error of [
      new Error('ThrottlingException: Rate exceeded'),
      Object.assign(new Error('x'), { code: 'internal', retryable: true }),
      'a string',
      undefined,
    ]) {
      const verdict = classifyFailure(error)
      expect(verdict).toMatchObject({ retryable: true, reason: 'processing-error' })
      expect(verdict.detail).not.toContain('Throttling')
    }
  })
  it('keeps the one classifier’s final verdicts final, as a processing error without their message', () => {
    for (const error of [
      Object.assign(new Error('bad config'), { code: 'invalid-options', retryable: false }),
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
      new ValidationError('bad state'),
    ]) {
      const verdict = classifyFailure(error)
      expect(verdict).toMatchObject({ retryable: false, reason: 'processing-error' })
      expect(verdict.detail).toBe('The photo could not be processed')
    }
  })
})

describe('staleness', () => {
  const upload = { etag: 'e2', sequencer: normaliseSequencer('0B') }
  it('is new while pending, or when a newer upload arrives', () => {
    expect(staleness({ photoKey: 'k', status: 'pending' }, upload)).toBe('new')
    expect(
      staleness(
        { photoKey: 'k', status: 'ready', etag: 'e1', sourceSequencer: normaliseSequencer('0A') },
        upload,
      ),
    ).toBe('new')
  })
  it('lets a redrive retry a result recorded when retries ran out', () => {
    const item = { photoKey: 'k', status: 'failed', etag: 'e2', sourceSequencer: upload.sequencer } as const
    expect(staleness({ ...item, reason: 'processing-error' }, upload)).toBe('new')
    expect(staleness({ ...item, reason: 'truncated' }, upload)).toBe('duplicate')
  })

  it('spots a redelivery and an out-of-order event', () => {
    expect(
      staleness({ photoKey: 'k', status: 'failed', etag: 'e2', sourceSequencer: upload.sequencer }, upload),
    ).toBe('duplicate')
    expect(
      staleness(
        { photoKey: 'k', status: 'ready', etag: 'e3', sourceSequencer: normaliseSequencer('0C') },
        upload,
      ),
    ).toBe('superseded')
  })
})

describe('photoResultSchema', () => {
  const pending = {
    photoKey: 'photos/trip/0b6e6d52-2a41-4d5c-9d7f-2f0f3c1d2e4a.jpg',
    postSlug: 'trip',
    uploadedAt: '2026-11-22T10:00:00.000Z',
    status: 'pending',
    contentType: 'image/jpeg',
  }
  const source = {
    etag: 'e',
    sourceSequencer: normaliseSequencer('01'),
    processedAt: '2026-11-22T10:00:01.000Z',
  }

  it('is what the blog reads once merged into its pending item (the contract with blog-site)', () => {
    const ready = photoResultSchema.parse({
      status: 'ready',
      ...source,
      width: 4000,
      height: 3000,
      format: 'jpeg',
      size: 123,
      thumbnails: [{ width: 256, height: 192, key: 'trip/x.jpg/e/256.webp', contentType: 'image/webp' }],
    })
    expect(photoItemSchema.parse({ ...pending, ...ready })).toMatchObject({ status: 'ready', width: 4000 })
    const failed = photoResultSchema.parse({
      status: 'failed',
      ...source,
      reason: 'truncated',
      reasonDetail: 'cut',
      size: 1,
    })
    expect(photoItemSchema.parse({ ...pending, ...failed }).status).toBe('failed')
  })

  it('refuses a ready result without thumbnails', () => {
    expect(
      photoResultSchema.safeParse({
        status: 'ready',
        ...source,
        width: 1,
        height: 1,
        format: 'png',
        size: 1,
        thumbnails: [],
      }).success,
    ).toBe(false)
  })
})
