import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createJobRepository } from '../../adapters/dynamodb-job-repository'
import { serviceEnvSchema } from '../../config'
import { createStep } from './step'

const config = readConfig(serviceEnvSchema)

export const handler = createStep({
  jobs: createJobRepository(createDocumentClient(config), config.JOBS_TABLE, {
    retentionDays: config.RETENTION_DAYS,
  }),
})
