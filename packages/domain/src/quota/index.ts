import { QuotaExceededError } from '../errors'

/**
 * A per-caller allowance counted per UTC day (e.g. workflow jobs a user may start): the calendar
 * rule only; the counter itself lives behind a port of the service that enforces it.
 */

const DAY_MS = 86_400_000

/** The UTC day `at` falls on (`YYYY-MM-DD`): the counter a use at that instant counts in. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10)

/** The first instant of the next UTC day (a use at exactly midnight counts in the new day). */
export const nextUtcMidnight = (at: Date): Date => new Date((Math.floor(at.getTime() / DAY_MS) + 1) * DAY_MS)

/**
 * `Retry-After` for a use refused at `at`: whole seconds to the next UTC midnight, rounded up (a
 * client that waits exactly that long lands in the new day, never a moment before it), at least 1.
 */
export const secondsToNextUtcMidnight = (at: Date): number =>
  Math.max(1, Math.ceil((nextUtcMidnight(at).getTime() - at.getTime()) / 1000))

/**
 * When the counter of `at`'s day may go (epoch seconds, a DynamoDB TTL): `keepDays` after the day
 * ends. A counter is never read after its day; the days kept are for operators looking at usage.
 */
export const counterExpiresAt = (at: Date, keepDays: number): number =>
  Math.floor(nextUtcMidnight(at).getTime() / 1000) + keepDays * 86_400

/** The refusal of a use at `at` once `limit` uses of `what` were counted that day. */
export const dailyQuotaExceeded = (what: string, limit: number, at: Date): QuotaExceededError =>
  new QuotaExceededError(
    `The daily quota of ${limit} ${what} is used up; it renews at ${nextUtcMidnight(at).toISOString()}`,
    secondsToNextUtcMidnight(at),
  )
