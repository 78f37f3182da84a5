/**
 * Creates a service's derived resources in the stand-ins, idempotently, and returns what
 * CloudFormation would report for them (`Ref` values and `Fn::GetAtt` attributes), so intrinsics
 * and `Outputs` evaluate to local values.
 *
 * Persistent data (`pnpm dev`) meets changed templates: a table whose keys, indexes or stream no
 * longer match is recreated, as CloudFormation replaces one whose keys change (local data is lost;
 * the log says so). Pools, clients and groups are found by name and updated, so their ids stay stable.
 */
import {
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateGroupCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider'
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3'
import {
  type BucketSpec,
  type DerivedResources,
  type TableSpec,
  tableShapeDifferences,
  tableShapeFromDescription,
  type UserPoolSpec,
} from './template/resources'

export interface ProvisionClients {
  dynamodb: DynamoDBClient
  s3: S3Client
  cognito: CognitoIdentityProviderClient
}

export interface ProvisionedPool {
  logicalId: string
  name: string
  id: string
  clients: { logicalId: string; name: string; id: string }[]
}

export interface Provisioned {
  refs: Record<string, string>
  attributes: Record<string, Record<string, string>>
  userPools: ProvisionedPool[]
}

const describeTable = async (client: DynamoDBClient, name: string): Promise<TableDescription | undefined> => {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined
    throw error
  }
}

const ttlAttributeOf = async (client: DynamoDBClient, name: string): Promise<string | null> => {
  const { TimeToLiveDescription: ttl } = await client.send(new DescribeTimeToLiveCommand({ TableName: name }))
  return ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING'
    ? (ttl.AttributeName ?? null)
    : null
}

/** DescribeTable + DescribeTimeToLive, as the comparable shape (used by provisioning and the drift test). */
export const localTableShape = async (client: DynamoDBClient, name: string) => {
  const table = await describeTable(client, name)
  return table ? tableShapeFromDescription(table, await ttlAttributeOf(client, name)) : undefined
}

const ensureTable = async (client: DynamoDBClient, spec: TableSpec, log: (line: string) => void) => {
  let table = await describeTable(client, spec.tableName)
  if (table) {
    const differences = tableShapeDifferences(
      { ...spec.shape, ttlAttribute: null },
      tableShapeFromDescription(table, null),
    )
    if (differences.length) {
      log(
        `table ${spec.tableName} no longer matches its template, recreating it (local data lost): ${differences.join('; ')}`,
      )
      await client.send(new DeleteTableCommand({ TableName: spec.tableName }))
      table = undefined
    }
  }
  if (!table) table = (await client.send(new CreateTableCommand(spec.createInput))).TableDescription
  const ttl = await ttlAttributeOf(client, spec.tableName)
  if (ttl !== spec.shape.ttlAttribute) {
    // DynamoDB allows one TTL attribute; switch the old one off before another goes on.
    if (ttl) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: spec.tableName,
          TimeToLiveSpecification: { AttributeName: ttl, Enabled: false },
        }),
      )
    }
    if (spec.shape.ttlAttribute) {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: spec.tableName,
          TimeToLiveSpecification: { AttributeName: spec.shape.ttlAttribute, Enabled: true },
        }),
      )
    }
  }
  const attributes: Record<string, string> = { Arn: table?.TableArn ?? '' }
  if (table?.LatestStreamArn) attributes.StreamArn = table.LatestStreamArn
  if (table?.TableId) attributes.TableId = table.TableId
  return attributes
}

const ensureBucket = async (client: S3Client, spec: BucketSpec) => {
  try {
    await client.send(new HeadBucketCommand({ Bucket: spec.bucketName }))
  } catch {
    await client.send(new CreateBucketCommand({ Bucket: spec.bucketName }))
  }
  return { Arn: `arn:aws:s3:::${spec.bucketName}` }
}

// Properties CreateUserPool takes but UpdateUserPool refuses (they are immutable in AWS too).
const immutablePoolSettings = new Set([
  'Schema',
  'UsernameAttributes',
  'AliasAttributes',
  'UsernameConfiguration',
])

const ensurePool = async (
  client: CognitoIdentityProviderClient,
  spec: UserPoolSpec,
): Promise<{ id: string; arn: string }> => {
  const { UserPools = [] } = await client.send(new ListUserPoolsCommand({ MaxResults: 60 }))
  const existing = UserPools.find((pool) => pool.Name === spec.poolName)
  if (existing?.Id) {
    const mutable = Object.fromEntries(
      Object.entries(spec.settings).filter(([key]) => !immutablePoolSettings.has(key)),
    )
    await client.send(new UpdateUserPoolCommand({ UserPoolId: existing.Id, ...mutable }))
    const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: existing.Id }))
    return { id: existing.Id, arn: UserPool?.Arn ?? '' }
  }
  const { UserPool } = await client.send(
    new CreateUserPoolCommand({ PoolName: spec.poolName, ...spec.settings }),
  )
  if (!UserPool?.Id) throw new Error(`cognito-local created no pool for ${spec.logicalId}`)
  return { id: UserPool.Id, arn: UserPool.Arn ?? '' }
}

const listClients = async (client: CognitoIdentityProviderClient, poolId: string) =>
  (await client.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 60 })))
    .UserPoolClients ?? []

export interface ProvisionContext {
  region: string
  cognitoEndpoint: string
  log(line: string): void
}

/** Creates (or updates) every derived resource; returns their Ref values and attributes. */
export const provision = async (
  derived: DerivedResources,
  clients: ProvisionClients,
  context: ProvisionContext,
): Promise<Provisioned> => {
  const refs: Record<string, string> = {}
  const attributes: Record<string, Record<string, string>> = {}
  const userPools: ProvisionedPool[] = []

  const tables = derived.tables.map(async (spec) => {
    attributes[spec.logicalId] = await ensureTable(clients.dynamodb, spec, context.log)
    refs[spec.logicalId] = spec.tableName
  })
  const buckets = derived.buckets.map(async (spec) => {
    attributes[spec.logicalId] = await ensureBucket(clients.s3, spec)
    refs[spec.logicalId] = spec.bucketName
  })
  const pools = derived.userPools.map(async (spec) => {
    const { id, arn } = await ensurePool(clients.cognito, spec)
    refs[spec.logicalId] = id
    const issuer = `${context.cognitoEndpoint}/${id}`
    // ProviderURL is the token issuer in AWS (https://cognito-idp.<region>.amazonaws.com/<id>); locally it is cognito-local's.
    attributes[spec.logicalId] = {
      Arn: arn,
      ProviderURL: issuer,
      ProviderName: issuer.replace(/^https?:\/\//, ''),
    }
    const existing = await listClients(clients.cognito, id)
    const pool: ProvisionedPool = { logicalId: spec.logicalId, name: spec.poolName, id, clients: [] }
    for (const clientSpec of derived.userPoolClients.filter(
      (item) => item.userPoolLogicalId === spec.logicalId,
    )) {
      const found = existing.find((item) => item.ClientName === clientSpec.clientName)
      const { GenerateSecret, ...updatable } = clientSpec.settings
      let created: UserPoolClientType | undefined
      if (found?.ClientId) {
        created = (
          await clients.cognito.send(
            new UpdateUserPoolClientCommand({
              UserPoolId: id,
              ClientId: found.ClientId,
              ClientName: clientSpec.clientName,
              ...updatable,
            }),
          )
        ).UserPoolClient
      } else {
        created = (
          await clients.cognito.send(
            new CreateUserPoolClientCommand({
              UserPoolId: id,
              ClientName: clientSpec.clientName,
              ...clientSpec.settings,
            }),
          )
        ).UserPoolClient
      }
      const clientId = found?.ClientId ?? created?.ClientId
      if (!clientId) throw new Error(`cognito-local created no client for ${clientSpec.logicalId}`)
      refs[clientSpec.logicalId] = clientId
      attributes[clientSpec.logicalId] = {
        Name: clientSpec.clientName,
        ...(created?.ClientSecret ? { ClientSecret: created.ClientSecret } : {}),
      }
      pool.clients.push({ logicalId: clientSpec.logicalId, name: clientSpec.clientName, id: clientId })
    }
    // ListGroups, not GetGroup: cognito-local answers GetGroup for a missing group with a 500.
    const { Groups: groups = [] } = await clients.cognito.send(new ListGroupsCommand({ UserPoolId: id }))
    for (const group of derived.userPoolGroups.filter((item) => item.userPoolLogicalId === spec.logicalId)) {
      const settings = {
        UserPoolId: id,
        GroupName: group.groupName,
        ...(group.description !== undefined ? { Description: group.description } : {}),
        ...(group.precedence !== undefined ? { Precedence: group.precedence } : {}),
      }
      if (groups.some((existing) => existing.GroupName === group.groupName)) {
        await clients.cognito.send(new UpdateGroupCommand(settings))
      } else {
        await clients.cognito.send(new CreateGroupCommand(settings))
      }
      refs[group.logicalId] = group.groupName
    }
    userPools.push(pool)
  })
  await Promise.all([...tables, ...buckets, ...pools])
  return { refs, attributes, userPools }
}
