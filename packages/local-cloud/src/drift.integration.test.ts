/**
 * No drift between the deployable templates and the local cloud: for every service the run's cloud
 * started, what DynamoDB Local, s3rver and cognito-local report equals what the service's
 * serverless.yml declares (keys, attribute types, indexes with projections, stream view type, TTL,
 * billing mode; buckets; pools with their password policy, username attributes, clients and groups).
 */

import type { CfnResource } from '@app/cloudformation'
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { localTableShape } from './provision'
import { tableShapeFromTemplate } from './template/resources'
import { localCloud } from './testing'

const cloud = localCloud()
const config = {
  region: cloud.region,
  credentials: {
    accessKeyId: cloud.functionEnv.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: cloud.functionEnv.AWS_SECRET_ACCESS_KEY ?? '',
  },
}
const dynamodb = new DynamoDBClient({ ...config, endpoint: cloud.endpoints.dynamodb })
const s3 = new S3Client({ ...config, endpoint: cloud.endpoints.s3, forcePathStyle: true })
const cognito = new CognitoIdentityProviderClient({ ...config, endpoint: cloud.endpoints.cognito.endpoint })

const resourcesOf = (type: string) =>
  cloud.services.flatMap((service) =>
    Object.entries((service.config?.resources?.Resources ?? {}) as Record<string, CfnResource>)
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => ({
        service: service.name,
        logicalId,
        props: resource.Properties ?? {},
      })),
  )

const tables = [...resourcesOf('AWS::DynamoDB::Table'), ...resourcesOf('AWS::DynamoDB::GlobalTable')]
const buckets = resourcesOf('AWS::S3::Bucket')
const pools = resourcesOf('AWS::Cognito::UserPool')
const label = ({ service, logicalId }: { service: string; logicalId: string }) => `${service} ${logicalId}`

describe('local resources match the services’ serverless.yml', () => {
  it('covers every service the cloud runs', () => {
    expect(cloud.services.length).toBeGreaterThan(0)
  })

  it.each(tables.map((table) => [label(table), table] as const))('table %s', async (_label, table) => {
    const name = String(table.props.TableName)
    expect(await localTableShape(dynamodb, name)).toEqual(tableShapeFromTemplate(table.props))
  })

  it.each(buckets.map((bucket) => [label(bucket), bucket] as const))('bucket %s', async (_label, bucket) => {
    await expect(
      s3.send(new HeadBucketCommand({ Bucket: String(bucket.props.BucketName) })),
    ).resolves.toBeDefined()
  })

  it.each(pools.map((pool) => [label(pool), pool] as const))('user pool %s', async (_label, pool) => {
    const { UserPools = [] } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))
    const found = UserPools.filter((item) => item.Name === pool.props.UserPoolName)
    expect(found).toHaveLength(1)
    const UserPoolId = found[0]?.Id
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId }))
    // toMatchObject: cognito-local, like Cognito, fills in defaults the template leaves out (TemporaryPasswordValidityDays).
    expect(UserPool?.Policies ?? {}).toMatchObject(pool.props.Policies ?? {})
    expect(UserPool?.UsernameAttributes).toEqual(pool.props.UsernameAttributes)
    expect(UserPool?.AutoVerifiedAttributes).toEqual(pool.props.AutoVerifiedAttributes)

    const owned = (type: string) =>
      resourcesOf(type).filter(
        (item) =>
          item.service === pool.service &&
          (item.props.UserPoolId as { Ref?: string })?.Ref === pool.logicalId,
      )
    const { UserPoolClients = [] } = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId, MaxResults: 60 }),
    )
    const clients = owned('AWS::Cognito::UserPoolClient')
    expect(UserPoolClients.map((client) => client.ClientName).sort()).toEqual(
      clients.map((client) => String(client.props.ClientName)).sort(),
    )
    for (const client of clients) {
      const id = UserPoolClients.find((item) => item.ClientName === client.props.ClientName)?.ClientId
      const { UserPoolClient } = await cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId, ClientId: id }),
      )
      expect(UserPoolClient?.ExplicitAuthFlows).toEqual(client.props.ExplicitAuthFlows)
      expect(Boolean(UserPoolClient?.ClientSecret)).toBe(Boolean(client.props.GenerateSecret))
    }
    // Every declared group exists. Tests of the same run may add groups of their own to the shared
    // pool (the blog's forged-group test does), so extra runtime groups are not provisioning drift.
    const { Groups = [] } = await cognito.send(new ListGroupsCommand({ UserPoolId }))
    expect(Groups.map((group) => group.GroupName)).toEqual(
      expect.arrayContaining(
        owned('AWS::Cognito::UserPoolGroup').map((group) => String(group.props.GroupName)),
      ),
    )
  })
})
