/**
 * Scheduled jobs in the packaged templates, and what their expressions mean. AWS cron has six fields
 * (minutes hours day-of-month month day-of-week year), `?` for "no value", and numbers days of week
 * 1-7 from Sunday; it is translated to the standard five-field form and evaluated by `cron-parser`
 * (a registry library, not our own date arithmetic), always in UTC.
 */

import type { CfnTemplate } from '@app/cloudformation'
import { CronExpressionParser } from 'cron-parser'

export interface Schedule {
  readonly resource: string
  readonly expression: string
  /** Time zone the schedule runs in: EventBridge rules are always UTC; Scheduler may set one. */
  readonly timezone: string
}

export const schedulesIn = (template: CfnTemplate): Schedule[] =>
  Object.entries(template.Resources).flatMap(([id, resource]) => {
    const p = resource.Properties ?? {}
    if (resource.Type === 'AWS::Events::Rule' && typeof p.ScheduleExpression === 'string') {
      return [{ resource: id, expression: p.ScheduleExpression, timezone: 'UTC' }]
    }
    if (resource.Type === 'AWS::Scheduler::Schedule' && typeof p.ScheduleExpression === 'string') {
      return [
        {
          resource: id,
          expression: p.ScheduleExpression,
          timezone: String(p.ScheduleExpressionTimezone ?? 'UTC'),
        },
      ]
    }
    return []
  })

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

/** `cron(15 3 * * ? *)` → `15 3 * * *`; AWS day-of-week numbers (1 = Sunday) become 0-based. */
export const awsCronToStandard = (expression: string): string => {
  const body = /^cron\((.*)\)$/.exec(expression.trim())?.[1]
  if (!body) throw new Error(`not a cron expression: ${expression}`)
  const fields = body.trim().split(/\s+/)
  if (fields.length !== 6) throw new Error(`AWS cron needs 6 fields, got ${fields.length}: ${expression}`)
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  if (year !== '*') throw new Error(`year-restricted schedules are not supported here: ${expression}`)
  if (dayOfMonth === '?' && dayOfWeek === '?')
    throw new Error(`only one of day-of-month/day-of-week may be "?": ${expression}`)
  const weekday = dayOfWeek.replace(/\d/g, (digit) => {
    const day = Number(digit)
    if (day < 1 || day > 7) throw new Error(`AWS day-of-week is 1-7: ${expression}`)
    return DAY_NAMES[day - 1] as string
  })
  return [minute, hour, dayOfMonth === '?' ? '*' : dayOfMonth, month, weekday === '?' ? '*' : weekday].join(
    ' ',
  )
}

/** `rate(5 minutes)` → milliseconds. */
export const rateMs = (expression: string): number => {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim())
  if (!match) throw new Error(`not a rate expression: ${expression}`)
  const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[
    (match[2] as string).replace(/s$/, '') as 'minute'
  ]
  return Number(match[1]) * unit
}

/** The next `count` run times after `from`, in UTC ISO form. */
export const nextRuns = (expression: string, from: Date, count: number): string[] => {
  if (expression.startsWith('rate(')) {
    const step = rateMs(expression)
    return Array.from({ length: count }, (_, i) => new Date(from.getTime() + (i + 1) * step).toISOString())
  }
  const cron = CronExpressionParser.parse(awsCronToStandard(expression), { tz: 'UTC', currentDate: from })
  return Array.from({ length: count }, () => cron.next().toISOString() ?? '')
}
