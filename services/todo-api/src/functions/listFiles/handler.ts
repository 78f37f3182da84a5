import { createS3Client, readConfig } from '@app/runtime'
import { createCursorCodec } from '@app/runtime/http'
import { listFilesEnvSchema } from '../../config'
import { createS3FileStore } from '../../files/s3-file-store'
import { listFilesRoute } from './route'

const config = readConfig(listFilesEnvSchema)

export const handler = listFilesRoute({
  files: createS3FileStore(createS3Client(config), {
    bucket: config.FILES_BUCKET,
    expiresInSeconds: config.PRESIGN_TTL_SECONDS,
  }),
  cursors: createCursorCodec(config.CURSOR_SECRET),
})
