/**
 * `custom.ops`, parsed once with a strict schema: a misspelt or unknown key fails `sls package` with
 * its name instead of being ignored. Values usually come from the service's `params`, which osls
 * hands over as strings or numbers, so booleans and numbers accept both.
 */
import { z } from 'zod'

const flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
const number = z.coerce.number().refine(Number.isFinite, 'a number')
/** An ARN, or an intrinsic resolving to one (`{ Ref: AlarmTopic }`). */
const arn = z.union([z.string().min(1), z.record(z.string(), z.unknown())])

export const opsSchema = z
  .strictObject({
    /** Alarms on (default); a throwaway stage may switch them off (a live alias keeps its error alarms). */
    alarms: flag.default(true),
    /** The stage's own topic for alarms; otherwise one is created (with its KMS key). */
    alarmTopicArn: arn.optional(),
    /** Subscribed to the created topic; empty: no subscription. */
    alarmEmail: z.string().default(''),
    /** p99 duration alarm threshold, as a share of the function's timeout. */
    durationAlarmRatio: number.default(0.8),
    /** Stream consumers: IteratorAge alarm threshold. */
    iteratorAgeSeconds: number.default(60),
    /** Stage-level REST throttling (token bucket for the whole stage). */
    apiThrottle: z.strictObject({ rateLimit: number, burstLimit: number }).optional(),
    /** Production: versions behind a `live` alias every invoker uses. */
    live: flag.default(false),
    /** CodeDeploy Lambda config name without its prefix (`Canary10Percent5Minutes`); empty or AllAtOnce: none. */
    deployment: z.string().default(''),
    /** Provisioned concurrency on `live`, by function name. */
    provisionedConcurrency: z.record(z.string(), number).default({}),
    dashboard: flag.default(true),
    /** EventBridge Scheduler expression for the daily DLQ redrive, e.g. `cron(15 3 * * ? *)`. */
    redriveSchedule: z.string().min(1).optional(),
  })
  .default({
    alarms: true,
    alarmEmail: '',
    durationAlarmRatio: 0.8,
    iteratorAgeSeconds: 60,
    live: false,
    deployment: '',
    provisionedConcurrency: {},
    dashboard: true,
  })

export type OpsConfig = z.output<typeof opsSchema>

/** Parses `custom.ops`; the error names every offending key (`custom.ops.alarmEmial: Unrecognized key`). */
export const parseOpsConfig = (value: unknown): OpsConfig => {
  const parsed = opsSchema.safeParse(value ?? undefined)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : []
    const path = ['custom', 'ops', ...issue.path.map(String)].join('.')
    return keys.length
      ? keys.map((key) => `${path}.${key}: unknown setting`).join('; ')
      : `${path}: ${issue.message}`
  })
  throw new Error(`serverless-ops: invalid configuration: ${problems.join('; ')}`)
}
