import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createSfnClient } from '@app/runtime/sfn'
import { createStartPorts } from '../../adapters/job-ports'
import { startEnvSchema } from '../../config'
import { createRoute } from './route'

const config = readConfig(startEnvSchema)
const ports = createStartPorts({ db: createDocumentClient(config), sfn: createSfnClient(config) }, config)

export const handler = createRoute(ports, { uploadsBucket: config.UPLOADS_BUCKET })
