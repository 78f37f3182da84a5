import { readConfig } from '@app/runtime/config'
import * as z from 'zod'
import { openApiRoute } from './route'

const config = readConfig(z.object({ MAX_UPLOAD_BYTES: z.coerce.number().int().min(1) }))

export const handler = openApiRoute({ maxUploadBytes: config.MAX_UPLOAD_BYTES })
