import { describe, expect, it } from 'vitest'
import { NotFoundError, ValidationError } from '../errors'
import { isRetryable, UNKNOWN_ERRORS_RETRY } from './index'

const sdkError = (name: string, httpStatusCode: number, extra: object = {}) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode }, ...extra })

describe('isRetryable', () => {
  it('retries unknown errors: the documented default', () => {
    expect(UNKNOWN_ERRORS_RETRY).toBe(true)
    expect(isRetryable(new TypeError('bug'))).toBe(true)
    expect(isRetryable('a string')).toBe(true)
    expect(isRetryable(undefined)).toBe(true)
  })

  it('keeps domain errors final', () => {
    expect(isRetryable(new ValidationError('bad'))).toBe(false)
    expect(isRetryable(new NotFoundError('gone'))).toBe(false)
  })

  it('keeps an error’s own verdict', () => {
    expect(isRetryable(Object.assign(new Error('vips'), { code: 'internal', retryable: true }))).toBe(true)
    expect(isRetryable(Object.assign(new Error('bomb'), { code: 'too-many-pixels', retryable: false }))).toBe(
      false,
    )
  })

  it('retries throttling, 5xx and network faults; keeps other AWS answers (4xx) final', () => {
    expect(isRetryable(sdkError('SlowDown', 503))).toBe(true)
    expect(isRetryable(sdkError('ThrottlingException', 400))).toBe(true)
    expect(isRetryable(sdkError('Whatever', 400, { $retryable: {} }))).toBe(true)
    expect(isRetryable(sdkError('TooMany', 429))).toBe(true)
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true)
    expect(isRetryable(sdkError('NoSuchKey', 404))).toBe(false)
    expect(isRetryable(sdkError('AccessDenied', 403))).toBe(false)
  })
})
