import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createSfnClient } from '@app/runtime/sfn'
import { createJobPorts } from '../../adapters/job-ports'
import { jobsEnvSchema } from '../../config'
import { createRoute } from './route'

const config = readConfig(jobsEnvSchema)
const jobPorts = createJobPorts({ db: createDocumentClient(config), sfn: createSfnClient(config) }, config)

export const handler = createRoute(jobPorts)
