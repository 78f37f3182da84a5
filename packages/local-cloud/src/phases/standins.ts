/**
 * Phase 2, stand-ins: DynamoDB Local, s3rver, aws-ses-v2-local and cognito-local, started side by
 * side, and the administrator clients the local cloud itself provisions and seeds with. Their
 * endpoints follow from the plan's ports alone (`standInEndpoints`), so phases that only need to
 * know where the stand-ins will be do not wait for them.
 */
import type { EventEmitter } from 'node:events'
import { join } from 'node:path'
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import type { ProvisionClients } from '../provision'
import { startCognito } from '../standins/cognito'
import { startDynamoDb } from '../standins/dynamodb'
import { s3rverCredentials, startS3 } from '../standins/s3'
import { startSes } from '../standins/ses'
import type { RunningStandIn } from '../standins/types'
import type { Lifetime } from './lifetime'
import { type CloudPlan, region, stage } from './plan'

const local = (port: number) => `http://127.0.0.1:${port}`

export interface StandInEndpoints {
  dynamodb: string
  s3: string
  ses: string
  sesInbox: string
  cognito: string
  stepFunctions: string
}

/** Where each stand-in listens (every one binds 127.0.0.1 on its plan port). */
export const standInEndpoints = (plan: CloudPlan): StandInEndpoints => ({
  dynamodb: local(plan.ports.dynamodb),
  s3: local(plan.ports.s3),
  ses: local(plan.ports.ses),
  sesInbox: `${local(plan.ports.ses)}/`,
  cognito: local(plan.ports.cognito),
  stepFunctions: local(plan.ports.stepFunctions),
})

/**
 * The environment every local function starts from: the stand-ins' endpoints and the stand-ins'
 * own credentials (replaced by the gateway's endpoints and a role session's credentials with IAM on).
 */
export const baseFunctionEnv = (endpoints: StandInEndpoints): Record<string, string> => ({
  STAGE: stage,
  AWS_REGION: region,
  AWS_DEFAULT_REGION: region,
  AWS_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
  AWS_ENDPOINT_URL_S3: endpoints.s3,
  AWS_ENDPOINT_URL_SESV2: endpoints.ses,
  AWS_ENDPOINT_URL_SFN: endpoints.stepFunctions,
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoints.cognito,
})

export interface StandIns {
  readonly endpoints: StandInEndpoints
  /** Administrator clients (provisioning, seeding): straight to the stand-ins, as CloudFormation. */
  readonly clients: ProvisionClients
  /** s3rver's in-process notification events. */
  readonly s3Events: EventEmitter
}

export interface StandInOptions {
  echo?: (line: string) => void
  java?: string
}

/** Starts the four stand-ins; each is registered in `life` as soon as it runs. */
export const startStandIns = async (
  plan: CloudPlan,
  life: Lifetime,
  options: StandInOptions,
): Promise<StandIns> => {
  const { echo, java } = options
  const { dataDir, ephemeral, ports } = plan
  const started = <T extends RunningStandIn>(promise: Promise<T>) =>
    promise.then((standIn) => {
      life.add(() => standIn.stop())
      return standIn
    })
  // allSettled: when one fails, the others still finish starting (and are stopped with `life`).
  const settled = await Promise.allSettled([
    started(
      startDynamoDb({
        port: ports.dynamodb,
        ...(ephemeral ? {} : { dataDir: join(dataDir, 'dynamodb') }),
        tempDir: join(dataDir, 'tmp', 'dynamodb'),
        ...(echo ? { echo } : {}),
        ...(java ? { java } : {}),
      }),
    ),
    started(startS3({ port: ports.s3, ...(ephemeral ? {} : { dataDir: join(dataDir, 's3') }) })),
    started(startSes({ port: ports.ses, ...(echo ? { echo } : {}) })),
    started(
      startCognito({ port: ports.cognito, dataDir: join(dataDir, 'cognito'), ...(echo ? { echo } : {}) }),
    ),
  ])
  const failure = settled.find((result) => result.status === 'rejected')
  if (failure) throw failure.reason
  const s3 = (settled[1] as PromiseFulfilledResult<Awaited<ReturnType<typeof startS3>>>).value
  const endpoints = standInEndpoints(plan)
  const config = { region, credentials: s3rverCredentials }
  const clients: ProvisionClients = {
    dynamodb: new DynamoDBClient({ ...config, endpoint: endpoints.dynamodb }),
    s3: new S3Client({ ...config, endpoint: endpoints.s3, forcePathStyle: true }),
    cognito: new CognitoIdentityProviderClient({ ...config, endpoint: endpoints.cognito }),
  }
  life.add(async () => {
    clients.dynamodb.destroy()
    clients.s3.destroy()
    clients.cognito.destroy()
  })
  return { endpoints, clients, s3Events: s3.events }
}
