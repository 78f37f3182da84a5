import { CloudFrontClient } from '@aws-sdk/client-cloudfront'
import { commonClientConfig as common } from '../aws/common'
import type { AwsEnv } from '../config'

// Its own entry point (`@app/runtime/cloudfront`), for the same reason as `@app/runtime/dynamodb`.
/**
 * One CloudFront client per function (invalidations). CloudFront is a global service whose API
 * lives in us-east-1 whatever the function's region; locally `AWS_ENDPOINT_URL_CLOUDFRONT` is the
 * local cloud's AWS gateway, which authorizes and answers CreateInvalidation.
 */
export const createCloudFrontClient = (env: AwsEnv): CloudFrontClient =>
  new CloudFrontClient({ ...common(env, env.AWS_ENDPOINT_URL_CLOUDFRONT), region: 'us-east-1' })
