import { textJobInput } from '@app/domain/text'
import { env, s3 } from '../../adapters/aws'
import { createS3TextStore } from '../../adapters/s3-text-store'
import { defineStep } from '../../step'
import { validateTextJob } from '../../text/steps'

const store = createS3TextStore(s3, env.DATA_BUCKET)

/** Text pipeline, first state: the schema check and, for S3 texts, existence and size. */
export const handler = defineStep('validateText', textJobInput, (job) =>
  validateTextJob(job, store, env.DATA_BUCKET),
)
