import { createDocumentClient, createS3Client, readConfig } from '@app/runtime'
import { serviceEnvSchema } from '../config'

/** Configuration and AWS clients, created once per Lambda instance (module scope). */
export const env = readConfig(serviceEnvSchema)
export const s3 = createS3Client(env)
export const db = createDocumentClient(env)
