import { readConfig } from '@app/runtime/config'
import { createS3Client } from '@app/runtime/s3'
import { createS3FileStore } from '../../adapters/s3-file-store'
import { filesEnvSchema } from '../../config'
import { createFileLinkRoute } from './route'

const config = readConfig(filesEnvSchema)

export const handler = createFileLinkRoute(
  {
    files: createS3FileStore(createS3Client(config), {
      bucket: config.FILES_BUCKET,
      expiresInSeconds: config.PRESIGN_TTL_SECONDS,
    }),
  },
  { maxUploadBytes: config.MAX_UPLOAD_BYTES },
)
