/**
 * Every schedule deployed, with what it is meant to do, in UTC: `<service>/<rule logical id>` → the
 * expression and its next runs after SCHEDULE_REFERENCE_TIME (a Thursday). policy.test.ts fails on a
 * schedule without an entry here, and on an entry whose expression does not produce those runs.
 */
export const SCHEDULE_REFERENCE_TIME = new Date('2026-01-01T00:00:00Z')

export const SCHEDULE_MEANINGS: Record<string, { meaning: string; expression: string; next: string[] }> = {}
