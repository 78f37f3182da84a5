/**
 * Provisioning against the run's stand-ins: idempotent (a restart finds the same pool, client and
 * tables), and a persisted table whose template changed is recreated to match, as CloudFormation
 * replaces a table whose keys change; TTL follows the template.
 */

import { randomUUID } from 'node:crypto'
import type { CfnResource } from '@app/cloudformation'
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import printed from './__fixtures__/todo-api/printed.json' with { type: 'json' }
import { localTableShape, provision } from './provision'
import { deriveResources } from './template/resources'
import { localCloud } from './testing'

const cloud = localCloud()
const config = {
  region: cloud.region,
  credentials: {
    accessKeyId: cloud.functionEnv.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: cloud.functionEnv.AWS_SECRET_ACCESS_KEY ?? '',
  },
}
const clients = {
  dynamodb: new DynamoDBClient({ ...config, endpoint: cloud.endpoints.dynamodb }),
  s3: new S3Client({ ...config, endpoint: cloud.endpoints.s3, forcePathStyle: true }),
  cognito: new CognitoIdentityProviderClient({ ...config, endpoint: cloud.endpoints.cognito.endpoint }),
}

/** The fixture's resources under names of their own, so this file shares the run's cloud safely. */
const fixtureResources = (suffix: string) => {
  const resources = structuredClone(printed.resources.Resources) as unknown as Record<string, CfnResource>
  for (const resource of Object.values(resources)) {
    const props = resource.Properties ?? {}
    for (const key of ['TableName', 'BucketName', 'UserPoolName'] as const) {
      if (typeof props[key] === 'string') props[key] = `${props[key]}-${suffix}`
    }
  }
  return resources
}

const context = { region: 'us-east-1', accountId: '000000000000', stackName: 'fixture-todo-local' }

describe('provision', () => {
  it('is idempotent: provisioning again finds the same pool, client, group and tables', async () => {
    const derived = deriveResources(fixtureResources(randomUUID().slice(0, 8)), context)
    const lines: string[] = []
    const options = {
      region: 'us-east-1',
      cognitoEndpoint: cloud.endpoints.cognito.endpoint,
      log: (line: string) => lines.push(line),
    }
    const first = await provision(derived, clients, options)
    const second = await provision(derived, clients, options)
    expect(second.refs).toEqual(first.refs)
    expect(second.attributes.TodosTable?.StreamArn).toBe(first.attributes.TodosTable?.StreamArn)
    expect(lines).toEqual([])
  })

  it('recreates a persisted table whose template changed, and moves TTL to the new attribute', async () => {
    const resources = fixtureResources(randomUUID().slice(0, 8))
    const options = {
      region: 'us-east-1',
      cognitoEndpoint: cloud.endpoints.cognito.endpoint,
      log: (line: string) => lines.push(line),
    }
    const lines: string[] = []
    await provision(deriveResources(resources, context), clients, options)
    const tableName = String(resources.TodosTable?.Properties?.TableName)
    await clients.dynamodb.send(
      new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'a' }, sk: { S: 'b' } } }),
    )

    const todos = resources.TodosTable?.Properties as Record<string, unknown> & {
      GlobalSecondaryIndexes: { Projection: unknown }[]
    }
    todos.GlobalSecondaryIndexes[0]!.Projection = { ProjectionType: 'ALL' }
    todos.TimeToLiveSpecification = { AttributeName: 'purgeAt', Enabled: true }
    const changed = deriveResources(resources, context)
    await provision(changed, clients, options)

    const table = changed.tables.find((item) => item.logicalId === 'TodosTable')
    expect(await localTableShape(clients.dynamodb, tableName)).toEqual(table?.shape)
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^table ${tableName} no longer matches its template, recreating it`)),
    ])
    // Replaced, as CloudFormation replaces it: the old items are gone.
    expect((await clients.dynamodb.send(new ScanCommand({ TableName: tableName }))).Items).toEqual([])
  })
})
