import { createDocumentClient, createS3Client } from '@app/runtime/aws'
import { readConfig } from '@app/runtime/config'
import { serviceEnvSchema } from '../config'

/** Configuration and AWS clients, created once per Lambda instance (module scope). */
export const env = readConfig(serviceEnvSchema)
export const s3 = createS3Client(env)
export const db = createDocumentClient(env)
