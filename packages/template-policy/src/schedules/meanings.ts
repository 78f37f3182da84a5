/**
 * Every schedule deployed, with what it is meant to do, in UTC: `<service>/<rule logical id>` → the
 * expression and its next runs after SCHEDULE_REFERENCE_TIME (a Thursday). policy.test.ts fails on a
 * schedule without an entry here, and on an entry whose expression does not produce those runs.
 */
export const SCHEDULE_REFERENCE_TIME = new Date('2026-01-01T00:00:00Z')

export const SCHEDULE_MEANINGS: Record<string, { meaning: string; expression: string; next: string[] }> = {
  'thumbnailer/PhotoDeadLetterQueueRedriveSchedule': {
    meaning: 'every day at 03:15 UTC, move the photo DLQ back into the photo queue',
    expression: 'cron(15 3 * * ? *)',
    next: ['2026-01-01T03:15:00.000Z', '2026-01-02T03:15:00.000Z', '2026-01-03T03:15:00.000Z'],
  },
  'workflows/PhotoUploadsDeadLetterQueueRedriveSchedule': {
    meaning: 'every day at 03:45 UTC, move the photo-uploads DLQ back into the photo-uploads queue',
    expression: 'cron(45 3 * * ? *)',
    next: ['2026-01-01T03:45:00.000Z', '2026-01-02T03:45:00.000Z', '2026-01-03T03:45:00.000Z'],
  },
  // The stack's redriveSchedule covers every DLQ of it: failed usage key provisionings (throttling, the
  // 10,000-key cap) are retried daily; the provisioner is idempotent.
  'workflows/UsageKeyRequestsDeadLetterQueueRedriveSchedule': {
    meaning: 'every day at 03:45 UTC, move the usage-key-requests DLQ back into the usage-key-requests queue',
    expression: 'cron(45 3 * * ? *)',
    next: ['2026-01-01T03:45:00.000Z', '2026-01-02T03:45:00.000Z', '2026-01-03T03:45:00.000Z'],
  },
}
