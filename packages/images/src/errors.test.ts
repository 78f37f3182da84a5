import { describe, expect, it } from 'vitest'
import { ImageError, toImageError } from './errors'

describe('toImageError', () => {
  it.each([
    ['Input Buffer is empty', 'empty'],
    ['Input buffer contains unsupported image format', 'not-an-image'],
    ['VipsJpeg: premature end of JPEG image', 'truncated'],
    ['vipspng: libpng read error', 'truncated'],
    ['Input buffer has corrupt header: VipsJpeg: Bogus Huffman table definition', 'corrupt'],
    ['Input image exceeds pixel limit', 'too-many-pixels'],
    ['timeout: 42% complete', 'timeout'],
    ['something nobody has seen', 'internal'],
    // libvips' empty error buffer (cleared by a concurrent failure): no verdict on the input.
    ['Unknown error', 'internal'],
  ])('maps %j to %s', (message, code) => {
    expect(toImageError(new Error(message)).code).toBe(code)
  })

  it('retries only what is not the input’s fault', () => {
    expect(toImageError(new Error('something nobody has seen')).retryable).toBe(true)
    expect(toImageError(new Error('Input image exceeds pixel limit')).retryable).toBe(false)
  })

  it('keeps an ImageError and the cause of anything else', () => {
    const original = new ImageError('timeout', 'slow')
    expect(toImageError(original)).toBe(original)
    const cause = new Error('VipsJpeg: premature end of JPEG image\nmore detail')
    const mapped = toImageError(cause)
    expect(mapped.cause).toBe(cause)
    expect(mapped.message).toBe('VipsJpeg: premature end of JPEG image')
  })
})
