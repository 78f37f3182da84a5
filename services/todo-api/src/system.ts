import { monotonicFactory } from 'ulid'
import type { Clock, IdGenerator } from './ports'

export const systemClock: Clock = { now: () => new Date() }

/** ULIDs, monotonic within a process so two todos created in the same millisecond still sort. */
export const ulidGenerator = (): IdGenerator => {
  const next = monotonicFactory()
  return { next: () => next() }
}
