import { env, s3 } from '../../adapters/aws'
import { createS3PhotoStore } from '../../adapters/s3-photo-store'
import { photoJobInput, processPhoto } from '../../photo/steps'
import { defineStep } from '../../step'

const store = createS3PhotoStore(s3, env.DATA_BUCKET)

/** Photo pipeline, first state: validates the job and reads the photo's header. */
export const handler = defineStep('processPhoto', photoJobInput, (job) =>
  processPhoto(job, store, env.UPLOADS_BUCKET),
)
