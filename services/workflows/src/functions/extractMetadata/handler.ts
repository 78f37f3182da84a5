import { env, s3 } from '../../adapters/aws'
import { createS3PhotoStore } from '../../adapters/s3-photo-store'
import { extractMetadataBranch, photoJobState } from '../../photo/steps'
import { defineStep } from '../../step'

const store = createS3PhotoStore(s3, env.DATA_BUCKET)

export const handler = defineStep('extractMetadata', photoJobState, (job) =>
  extractMetadataBranch(job, store),
)
