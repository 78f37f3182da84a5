import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createS3Client } from '@app/runtime/s3'
import { createSfnClient } from '@app/runtime/sfn'
import { createStartPorts } from '../../adapters/job-ports'
import { createS3TextStore } from '../../adapters/s3-text-store'
import { startEnvSchema } from '../../config'
import { createRoute } from './route'

const config = readConfig(startEnvSchema)
const ports = createStartPorts({ db: createDocumentClient(config), sfn: createSfnClient(config) }, config)

export const handler = createRoute({
  ...ports,
  store: createS3TextStore(createS3Client(config), config.DATA_BUCKET),
})
