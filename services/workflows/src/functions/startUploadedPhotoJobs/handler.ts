import { env } from '../../adapters/aws'
import { createJobPorts } from '../../adapters/job-ports'
import { createUploadedPhotosHandler } from './create-handler'

/** Photo-uploaded queue (blog-site's topic) -> one photo pipeline job per upload. */
export const handler = createUploadedPhotosHandler({
  ports: createJobPorts(),
  uploadsBucket: env.UPLOADS_BUCKET,
})
