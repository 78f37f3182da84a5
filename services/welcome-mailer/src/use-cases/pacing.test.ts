import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { tokenBucket } from './pacing'

describe('tokenBucket', () => {
  it('lets a burst through at once, then one token per 1/rate', () => {
    const bucket = tokenBucket({ ratePerSecond: 10, burst: 2 })
    expect([0, 0, 0, 0].map(() => bucket.reserve(0))).toEqual([0, 0, 100, 200])
    // After a second idle, the bucket is full again (never above the burst).
    expect([1_300, 1_300, 1_300].map((t) => bucket.reserve(t))).toEqual([0, 0, 100])
  })

  it('never starts more than rate x window + burst sends in any window, whatever the call times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(3_000), { minLength: 1, maxLength: 200 }),
        (rate, burst, gaps) => {
          const bucket = tokenBucket({ ratePerSecond: rate, burst })
          let now = 0
          const starts = gaps.map((gap) => {
            now += gap % 7 === 0 ? 0 : gap
            return now + bucket.reserve(now)
          })
          const sorted = [...starts].sort((a, b) => a - b)
          for (let i = 0; i < sorted.length; i++) {
            const inWindow = sorted.filter(
              (t) => t >= (sorted[i] as number) && t < (sorted[i] as number) + 1_000,
            )
            expect(inWindow.length).toBeLessThanOrEqual(rate + burst)
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('refuses a rate or burst that would never send', () => {
    expect(() => tokenBucket({ ratePerSecond: 0, burst: 1 })).toThrow(RangeError)
    expect(() => tokenBucket({ ratePerSecond: 1, burst: 0 })).toThrow(RangeError)
  })
})
