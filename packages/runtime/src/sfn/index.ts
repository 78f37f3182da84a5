import { SFNClient } from '@aws-sdk/client-sfn'
import { commonClientConfig as common } from '../aws/common'
import type { AwsEnv } from '../config'

// Its own entry point (`@app/runtime/sfn`), for the same reason as `@app/runtime/dynamodb`.
/** One Step Functions client per function; locally `AWS_ENDPOINT_URL_SFN` is the local Step Functions host. */
export const createSfnClient = (env: AwsEnv): SFNClient =>
  new SFNClient(common(env, env.AWS_ENDPOINT_URL_SFN))
