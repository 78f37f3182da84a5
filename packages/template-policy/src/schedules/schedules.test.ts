import { describe, expect, it } from 'vitest'
import { awsCronToStandard, nextRuns } from './index'

// A Thursday, so weekly expressions show which weekday they really pick.
const FROM = new Date('2026-01-01T00:00:00Z')

describe('AWS cron translation', () => {
  it('reads "every day at 03:15 UTC"', () => {
    expect(awsCronToStandard('cron(15 3 * * ? *)')).toBe('15 3 * * *')
    expect(nextRuns('cron(15 3 * * ? *)', FROM, 2)).toEqual([
      '2026-01-01T03:15:00.000Z',
      '2026-01-02T03:15:00.000Z',
    ])
  })

  it('numbers AWS weekdays from Sunday = 1 (not Monday, not 0)', () => {
    expect(nextRuns('cron(0 4 ? * 1 *)', FROM, 1)).toEqual(['2026-01-04T04:00:00.000Z']) // Sunday
    expect(nextRuns('cron(0 4 ? * MON-FRI *)', FROM, 2)).toEqual([
      '2026-01-01T04:00:00.000Z',
      '2026-01-02T04:00:00.000Z',
    ])
    expect(nextRuns('cron(0 4 ? * 2-6 *)', FROM, 3)).toEqual([
      '2026-01-01T04:00:00.000Z',
      '2026-01-02T04:00:00.000Z',
      '2026-01-05T04:00:00.000Z', // Monday: 7 (Saturday) and 1 (Sunday) are outside 2-6
    ])
  })

  it('reads rate expressions and rejects malformed ones', () => {
    expect(nextRuns('rate(6 hours)', FROM, 2)).toEqual([
      '2026-01-01T06:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ])
    expect(() => awsCronToStandard('cron(0 4 * * *)')).toThrow(/6 fields/)
    expect(() => awsCronToStandard('cron(0 4 ? * ? *)')).toThrow(/only one/)
    expect(() => awsCronToStandard('cron(0 4 ? * 0 *)')).toThrow(/1-7/)
  })
})
