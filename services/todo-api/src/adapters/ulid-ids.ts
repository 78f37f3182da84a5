import { monotonicFactory } from 'ulid'
import type { IdGenerator } from '../ports'

/** ULIDs, monotonic within a process so two todos created in the same millisecond still sort. */
export const ulidGenerator = (): IdGenerator => {
  const next = monotonicFactory()
  return { next: () => next() }
}
