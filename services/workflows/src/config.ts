import { awsEnvSchema } from '@app/runtime/config'
import { z } from 'zod'

/** What every function of this service reads from its environment (serverless.yml, provider.environment). */
export const serviceEnvSchema = awsEnvSchema.extend({
  STAGE: z.string().min(1),
  JOBS_TABLE: z.string().min(3),
  DATA_BUCKET: z.string().min(3),
  UPLOADS_BUCKET: z.string().min(3),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650),
})
export type ServiceEnv = z.output<typeof serviceEnvSchema>

/**
 * The start and status functions' configuration: the service's, plus the machines a function may
 * start (serverless.yml gives each start function its own machine's ARN, and getExecution none).
 */
export const jobsEnvSchema = serviceEnvSchema.extend({
  TEXT_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  PHOTO_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
})

/**
 * The API's start functions (startTextJob, startPhotoJob): the jobs configuration plus the callers'
 * daily quota, its table and its limit (serverless.yml's `jobsPerUserPerDay` stage param).
 */
export const startEnvSchema = jobsEnvSchema.extend({
  QUOTA_TABLE: z.string().min(3),
  JOBS_PER_USER_PER_DAY: z.coerce.number().int().min(1).max(100_000),
})
