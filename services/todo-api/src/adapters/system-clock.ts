import type { Clock } from '../ports'

/** The wall clock, for the functions; tests pass a fixed one. */
export const systemClock: Clock = { now: () => new Date() }
