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
