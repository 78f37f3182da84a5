/**
 * Phase 3, gateways. The AWS gateway (IAM and SigV4 in front of every stand-in, ../iam) with the
 * Cognito Identity stand-in needs only the plan's ports: it starts with the stand-ins, and starts
 * packaging the templates its roles come from. The local API Gateway of each HTTP service opens its
 * public port last, once the functions behind it have their environment (./offline.ts).
 */
import { startApiGateway } from '../gateway/api-gateway'
import { gatewayResponsesOf } from '../gateway/gateway-responses'
import { managementUpstreamKey, websocketApiIdOf } from '../iam/execute-api'
import { type LocalIam, startLocalIam } from '../iam/local-iam'
import { startCognitoIdentity } from '../standins/cognito-identity'
import type { PrintedService } from '../template/print'
import type { Lifetime } from './lifetime'
import { accountId, type CloudPlan, region, stage } from './plan'
import type { StandInEndpoints } from './standins'

export interface AwsGateway {
  readonly iam: LocalIam
  /** `endpoints.awsGateway` (absent with IAM off) and `endpoints.cognitoIdentity`. */
  readonly endpoints: { awsGateway?: string; cognitoIdentity: string }
}

export const startAwsGateway = async (
  plan: CloudPlan,
  standIns: StandInEndpoints,
  life: Lifetime,
  log: (line: string) => void,
): Promise<AwsGateway> => {
  const iam = await startLocalIam({
    mode: plan.iamMode,
    port: plan.ports.aws,
    region,
    accountId,
    rootDir: plan.rootDir,
    dataDir: plan.dataDir,
    stage,
    packageCompose: plan.services.some((service) => service.compose && service.hasTemplate),
    upstreams: {
      dynamodb: standIns.dynamodb,
      s3: standIns.s3,
      ses: standIns.ses,
      states: standIns.stepFunctions,
      // Each WebSocket API's @connections, served by its service's serverless-offline.
      ...Object.fromEntries(
        Object.entries(plan.offline).flatMap(([name, { websocketPort }]) =>
          websocketPort === undefined
            ? []
            : [[managementUpstreamKey(websocketApiIdOf(name, stage)), `http://127.0.0.1:${websocketPort}`]],
        ),
      ),
    },
    log,
  })
  life.add(() => iam.stop())
  const awsGateway = plan.iamMode === 'off' ? undefined : iam.endpoints.AWS_ENDPOINT_URL_S3
  if (awsGateway) log(`IAM (${plan.iamMode}): local functions call the stand-ins through ${awsGateway}`)
  const identity = await startCognitoIdentity({
    port: plan.ports.cognitoIdentity,
    region,
    issuerScheme: 'http://',
    pools: () => iam.identityPools(),
    assumeRole: (request) => iam.assumeRole(request),
  })
  life.add(() => identity.stop())
  return { iam, endpoints: { ...(awsGateway ? { awsGateway } : {}), cognitoIdentity: identity.endpoint } }
}

/** Opens every HTTP service's public port: its template's GatewayResponses, override headers refused. */
export const startApiGateways = async (
  plan: CloudPlan,
  printed: ReadonlyMap<string, PrintedService>,
  life: Lifetime,
): Promise<void> => {
  await Promise.all(
    Object.entries(plan.offline).map(async ([name, endpoint]) => {
      const gateway = await startApiGateway({
        name,
        port: endpoint.httpPort,
        upstreamPort: endpoint.offlinePort,
        responses: gatewayResponsesOf(printed.get(name)?.resources?.Resources ?? {}),
      })
      life.add(() => gateway.stop())
    }),
  )
}
