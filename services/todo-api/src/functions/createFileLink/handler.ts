import { readConfig } from '@app/runtime/config'
import { createS3Client } from '@app/runtime/s3'
import { filesEnvSchema } from '../../config'
import { createS3FileStore } from '../../files/s3-file-store'
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
