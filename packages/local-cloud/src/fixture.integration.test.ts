/**
 * The runner end to end on the fixture service (`__fixtures__/todo-api`): its own cloud on free
 * ports with a persistent data dir, resources and outputs derived from the fixture's serverless.yml,
 * serverless-offline handing the local environment to a real handler, the demo user, and ids that
 * survive a restart. (This file starts its own cloud: the run's shared one has no fixture service.)
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider'
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb'
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningLocalCloud, type StartLocalCloudOptions, startLocalCloud } from './cloud'

const dataDir = mkdtempSync(join(tmpdir(), 'local-cloud-fixture-'))
const options: StartLocalCloudOptions = {
  ports: 'auto',
  dataDir,
  seed: true,
  services: [
    {
      name: 'fixture',
      dir: join(import.meta.dirname, '__fixtures__', 'todo-api'),
      local: {
        name: 'fixture',
        offline: { httpPort: 0, lambdaPort: 0 },
        env: () => ({ FIXTURE_SECRET: 'from-local.ts' }),
      },
    },
  ],
}
let cloud: RunningLocalCloud

beforeAll(async () => {
  cloud = await startLocalCloud(options)
}, 180_000)
afterAll(async () => {
  await cloud?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

const clients = () => {
  const config = {
    region: cloud.region,
    credentials: {
      accessKeyId: cloud.functionEnv.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: cloud.functionEnv.AWS_SECRET_ACCESS_KEY ?? '',
    },
  }
  return {
    dynamodb: new DynamoDBClient({ ...config, endpoint: cloud.endpoints.dynamodb }),
    s3: new S3Client({ ...config, endpoint: cloud.endpoints.s3, forcePathStyle: true }),
    cognito: new CognitoIdentityProviderClient({ ...config, endpoint: cloud.endpoints.cognito.endpoint }),
  }
}

describe('startLocalCloud on the fixture service', () => {
  it('creates the template’s tables and buckets and evaluates its Outputs to local values', async () => {
    const { dynamodb, s3 } = clients()
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'fixture-todo-local-todos' }))
    await expect(
      s3.send(new HeadBucketCommand({ Bucket: 'fixture-todo-local-files' })),
    ).resolves.toBeDefined()
    expect(cloud.outputs.fixture).toEqual({
      UserPoolId: cloud.endpoints.cognito.userPoolId,
      UserPoolClientId: cloud.endpoints.cognito.clientId,
      UserPoolArn: expect.stringMatching(new RegExp(`userpool/${cloud.endpoints.cognito.userPoolId}$`)),
      Issuer: `${cloud.endpoints.cognito.endpoint}/${cloud.endpoints.cognito.userPoolId}`,
      TodosStreamArn: Table?.LatestStreamArn,
      FilesBucketArn: 'arn:aws:s3:::fixture-todo-local-files/private/*',
      TableList: 'fixture-todo-local-todos,fixture-todo-local-idempotency',
      Upstream: 'none',
      // No local CloudFront: an explicit marker, never a made-up domain.
      SiteDomain: 'arn:aws:local:us-east-1:000000000000:unavailable-locally/fixture/SiteDomain',
    })
    const [service] = cloud.services
    expect(service?.derived?.skipped.map((item) => item.logicalId)).toEqual(['Distribution'])
    expect(service?.skippedOutputs).toEqual([
      { name: 'SiteDomain', reason: 'Fn::GetAtt Distribution.DomainName: no local value' },
    ])
  })

  it('runs the service under serverless-offline with the local environment reaching the handler', async () => {
    const response = await fetch(`${String(cloud.endpoints.fixture)}/ping`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      STAGE: 'local',
      TODOS_TABLE: 'fixture-todo-local-todos',
      COGNITO_ISSUER: `${cloud.endpoints.cognito.endpoint}/${cloud.endpoints.cognito.userPoolId}`,
      COGNITO_CLIENT_IDS: cloud.endpoints.cognito.clientId,
      AWS_REGION: 'us-east-1',
      // Every AWS call goes through the IAM gateway, signed with the function's own role session.
      AWS_ENDPOINT_URL_DYNAMODB: cloud.endpoints.awsGateway,
      AWS_ENDPOINT_URL_S3: cloud.endpoints.awsGateway,
      AWS_ENDPOINT_URL_SESV2: cloud.endpoints.awsGateway,
      AWS_ENDPOINT_URL_SFN: cloud.endpoints.awsGateway,
      AWS_ACCESS_KEY_ID: expect.stringMatching(/^ASIA[0-9A-F]{16}$/),
      FIXTURE_SECRET: 'from-local.ts',
    })
  })

  it('seeds a confirmed demo user who signs in with the printed password', async () => {
    const { cognito } = clients()
    const { AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({
        ClientId: cloud.endpoints.cognito.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: cloud.demoUser?.username ?? '',
          PASSWORD: cloud.demoUser?.password ?? '',
        },
      }),
    )
    expect(AuthenticationResult?.AccessToken).toBeTruthy()
  })

  it('keeps data and ids (pool, client) across a restart on the same data dir', async () => {
    const before = { ...cloud.endpoints.cognito }
    await clients().dynamodb.send(
      new PutItemCommand({
        TableName: 'fixture-todo-local-todos',
        Item: { pk: { S: 'u' }, sk: { S: 'kept' } },
      }),
    )
    await cloud.stop()
    cloud = await startLocalCloud({ ...options, offline: false })
    expect(cloud.endpoints.cognito).toEqual({ ...before, endpoint: cloud.endpoints.cognito.endpoint })
    const { Item } = await clients().dynamodb.send(
      new GetItemCommand({
        TableName: 'fixture-todo-local-todos',
        Key: { pk: { S: 'u' }, sk: { S: 'kept' } },
      }),
    )
    expect(Item?.sk?.S).toBe('kept')
  }, 120_000)
})
