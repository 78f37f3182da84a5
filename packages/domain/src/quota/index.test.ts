import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { QuotaExceededError } from '../errors'
import { counterExpiresAt, dailyQuotaExceeded, nextUtcMidnight, secondsToNextUtcMidnight, utcDay } from '.'

const at = (iso: string) => new Date(iso)

describe('the UTC day a use counts in', () => {
  it('is the UTC date, whatever the offset the instant was written with', () => {
    expect(utcDay(at('2026-12-02T23:59:59.999Z'))).toBe('2026-12-02')
    expect(utcDay(at('2026-12-03T00:00:00.000Z'))).toBe('2026-12-03')
    // 01:30 in Berlin is still the previous day in UTC.
    expect(utcDay(at('2026-12-03T01:30:00+02:00'))).toBe('2026-12-02')
    expect(utcDay(at('2028-02-29T12:00:00Z'))).toBe('2028-02-29')
  })

  it('renews at the next UTC midnight; a use at midnight itself is in the new day', () => {
    expect(nextUtcMidnight(at('2026-12-31T18:45:00Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z')
    expect(nextUtcMidnight(at('2026-12-03T00:00:00Z')).toISOString()).toBe('2026-12-04T00:00:00.000Z')
  })
})

describe('Retry-After of a refused use', () => {
  it('is the whole seconds to the next UTC midnight, rounded up', () => {
    expect(secondsToNextUtcMidnight(at('2026-12-02T00:00:00.000Z'))).toBe(86_400)
    expect(secondsToNextUtcMidnight(at('2026-12-02T12:00:00.400Z'))).toBe(43_200)
    expect(secondsToNextUtcMidnight(at('2026-12-02T23:59:59.001Z'))).toBe(1)
    expect(secondsToNextUtcMidnight(at('2026-12-02T23:59:59.999Z'))).toBe(1)
  })

  it('waiting exactly that long lands in the next day, a second less does not', () => {
    fc.assert(
      fc.property(
        fc.date({ min: at('1970-01-02T00:00:00Z'), max: at('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        (now) => {
          const wait = secondsToNextUtcMidnight(now)
          expect(wait).toBeGreaterThanOrEqual(1)
          expect(wait).toBeLessThanOrEqual(86_400)
          expect(utcDay(new Date(now.getTime() + wait * 1000))).not.toBe(utcDay(now))
          expect(utcDay(new Date(now.getTime() + (wait - 1) * 1000))).toBe(utcDay(now))
        },
      ),
    )
  })

  it('travels on the refusal, with the renewal time in its message', () => {
    const refusal = dailyQuotaExceeded('workflow jobs', 20, at('2026-12-02T18:45:00Z'))
    expect(refusal).toBeInstanceOf(QuotaExceededError)
    expect(refusal.kind).toBe('quota-exceeded')
    expect(refusal.retryAfterSeconds).toBe(5 * 3600 + 15 * 60)
    expect(refusal.message).toBe(
      'The daily quota of 20 workflow jobs is used up; it renews at 2026-12-03T00:00:00.000Z',
    )
  })
})

describe('the counter of a day', () => {
  it('expires keepDays after its day ends (epoch seconds), the same for every use of the day', () => {
    const end = Date.parse('2026-12-03T00:00:00Z') / 1000
    expect(counterExpiresAt(at('2026-12-02T00:00:00Z'), 2)).toBe(end + 2 * 86_400)
    expect(counterExpiresAt(at('2026-12-02T23:59:59.999Z'), 2)).toBe(end + 2 * 86_400)
  })
})
