import { env, s3 } from '../../adapters/aws'
import { createS3TextStore } from '../../adapters/s3-text-store'
import { defineStep } from '../../step'
import { countWordsStep, textJobState } from '../../text/steps'

const store = createS3TextStore(s3, env.DATA_BUCKET)

export const handler = defineStep('countWords', textJobState, (job) => countWordsStep(job, store))
