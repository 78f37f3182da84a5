import { describe, expect, it } from 'vitest'
import { loadPackaged } from '../templates'
import { awsCronToStandard, nextRuns, schedulesIn } from './index'

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

/**
 * Every schedule deployed, with what it is meant to do, in UTC. A schedule that appears in a template
 * without an entry here fails: say what it means first.
 */
const MEANING: Record<string, { meaning: string; expression: string; next: string[] }> = {}

describe('schedules in the packaged templates', () => {
  const found = loadPackaged().templates.flatMap(({ service, stage, template }) =>
    schedulesIn(template).map((schedule) => ({ key: `${service}/${schedule.resource}`, stage, ...schedule })),
  )
  console.info(
    `schedules: ${found.length ? found.map((s) => `${s.stage}/${s.key} ${s.expression}`).join(', ') : 'none in the packaged templates'}`,
  )

  it.each(found)('$stage/$key runs in UTC and means what its declared meaning says', (schedule) => {
    const declared = MEANING[schedule.key]
    expect(declared, `declare ${schedule.key} in MEANING`).toBeDefined()
    expect(schedule.timezone).toBe('UTC')
    expect(schedule.expression).toBe(declared?.expression)
    expect(nextRuns(schedule.expression, FROM, declared?.next.length ?? 1)).toEqual(declared?.next)
  })

  it('declares no schedule that is not deployed', () => {
    const keys = new Set(found.map((s) => s.key))
    expect(Object.keys(MEANING).filter((key) => !keys.has(key))).toEqual([])
  })
})
