import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi'
import { commonClientConfig as common } from '../aws/common'
import type { AwsEnv } from '../config'

// Its own entry point (`@app/runtime/websocket`), for the same reason as `@app/runtime/dynamodb`.
/**
 * One client of a WebSocket API's `@connections` management API per function. `endpoint` is the
 * API's stage URL (`https://<api-id>.execute-api.<region>.amazonaws.com/<stage>`; locally
 * serverless-offline's WebSocket port): unlike other services it is per API, so it is configuration.
 */
export const createConnectionsClient = (env: AwsEnv, endpoint: string): ApiGatewayManagementApiClient =>
  new ApiGatewayManagementApiClient(common(env, endpoint))
