/**
 * The `@connections` management API of a local WebSocket API, as AWS guards it: a function posts
 * to a connection with SigV4 (signing name `execute-api`) and its role needs
 * `execute-api:ManageConnections` on `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<VERB>/@connections/<id>`.
 *
 * In AWS the API id is in the host (`<api-id>.execute-api.<region>.amazonaws.com/<stage>`); locally
 * every call goes to the one AWS gateway, so the management endpoint a function gets is
 * `<gateway>/<api-id>/<stage>` and the id is the path's first segment. The gateway authorizes the
 * call, then forwards `/@connections/<id>` to serverless-offline's WebSocket port, which serves that
 * API without any check of its own. The mapping to IAM is in ./requests.ts, beside the other APIs'.
 */
import { createHash } from 'node:crypto'

/** The logical id Serverless gives the WebSocket API of a service's `websocket` events. */
export const websocketApiLogicalId = 'WebsocketsApi'

/** A service's local WebSocket API id: 10 lowercase characters like AWS's, stable per service and stage. */
export const websocketApiIdOf = (service: string, stage: string): string =>
  createHash('sha256').update(`websocket-api:${service}:${stage}`).digest('hex').slice(0, 10)

/** The upstream key of a WebSocket API's management endpoint in the gateway's `upstreams`. */
export const managementUpstreamKey = (apiId: string) => `execute-api/${apiId}`

const connectionsPath = /^\/([a-z0-9]{10})\/([^/]+)\/@connections\/([^/?]+)$/

/** A management API call's API id, stage and the path serverless-offline serves it on. */
export const managementCallOf = (
  path: string,
): { apiId: string; stage: string; connectionId: string; upstreamPath: string } | undefined => {
  const match = connectionsPath.exec(path)
  if (!match) return undefined
  const [, apiId = '', stage = '', connectionId = ''] = match
  return { apiId, stage, connectionId, upstreamPath: `/@connections/${connectionId}` }
}

/**
 * Where a service's functions post to its WebSocket connections (their `CONNECTIONS_ENDPOINT`, or
 * whatever the service calls it): through the AWS gateway, or with IAM off serverless-offline's port.
 */
export const websocketManagementEndpoint = (
  // LocalCloud's shape, spelled out: this module sits below the cloud's own types.
  cloud: {
    readonly endpoints: { readonly awsGateway?: string | undefined }
    readonly offline: Readonly<Record<string, { readonly websocketPort?: number | undefined }>>
    readonly stage: string
  },
  service: string,
): string => {
  const port = cloud.offline[service]?.websocketPort
  if (port === undefined) throw new Error(`${service}: serverless-offline has no WebSocket port`)
  const gateway = cloud.endpoints.awsGateway
  return gateway
    ? `${gateway}/${websocketApiIdOf(service, cloud.stage)}/${cloud.stage}`
    : `http://127.0.0.1:${port}`
}
