import { readConfig } from '@app/runtime/config'
import { createS3Client } from '@app/runtime/s3'
import { createS3PhotoStore } from '../../adapters/s3-photo-store'
import { serviceEnvSchema } from '../../config'
import { createStep } from './step'

const config = readConfig(serviceEnvSchema)

export const handler = createStep({ store: createS3PhotoStore(createS3Client(config), config.DATA_BUCKET) })
