import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createSfnClient } from '@app/runtime/sfn'
import { createJobPorts } from '../../adapters/job-ports'
import { jobsEnvSchema } from '../../config'
import { createConsumer } from './consumer'

const config = readConfig(jobsEnvSchema)
const jobPorts = createJobPorts({ db: createDocumentClient(config), sfn: createSfnClient(config) }, config)

/** Photo-uploaded queue (blog-site's topic) -> one photo pipeline job per upload. */
export const handler = createConsumer(jobPorts, { uploadsBucket: config.UPLOADS_BUCKET })
