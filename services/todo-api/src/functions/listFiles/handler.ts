import { readConfig } from '@app/runtime/config'
import { createCursorCodec } from '@app/runtime/http'
import { createS3Client } from '@app/runtime/s3'
import { createS3FileStore } from '../../adapters/s3-file-store'
import { listFilesEnvSchema } from '../../config'
import { listFilesRoute } from './route'

const config = readConfig(listFilesEnvSchema)

export const handler = listFilesRoute({
  files: createS3FileStore(createS3Client(config), {
    bucket: config.FILES_BUCKET,
    expiresInSeconds: config.PRESIGN_TTL_SECONDS,
  }),
  cursors: createCursorCodec(config.CURSOR_SECRET),
})
