import { readConfig } from '@app/runtime/config'
import { originEnv } from '../../config'
import { openApiRoute } from './route'

export const handler = openApiRoute({ origin: readConfig(originEnv).ORIGIN_VERIFY_SECRET })
