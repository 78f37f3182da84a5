/**
 * What the local cloud creates for a service, derived from its printed serverless.yml
 * (`resources.Resources`): DynamoDB tables (Table and GlobalTable), S3 buckets, Cognito user pools
 * with their clients and groups. Everything else is listed as skipped, never faked.
 * Pure functions: no AWS calls here (see ../provision.ts).
 */
import {
  type CfnResource,
  type IntrinsicContext,
  isCreated,
  resolveIntrinsics,
  UnresolvableError,
} from '@app/cloudformation'
import type { CreateTableCommandInput, TableDescription } from '@aws-sdk/client-dynamodb'

/** The part of a table that must match between the template and DynamoDB Local (the drift test compares it). */
export interface TableShape {
  keySchema: { name: string; type: string }[]
  attributes: Record<string, string>
  globalIndexes: IndexShape[]
  localIndexes: IndexShape[]
  streamViewType: string | null
  ttlAttribute: string | null
  billingMode: string
}

export interface IndexShape {
  name: string
  keySchema: { name: string; type: string }[]
  projectionType: string
  nonKeyAttributes: string[]
}

export interface TableSpec {
  logicalId: string
  type: 'AWS::DynamoDB::Table' | 'AWS::DynamoDB::GlobalTable'
  tableName: string
  shape: TableShape
  createInput: CreateTableCommandInput
  /** Template settings with no local meaning (encryption, PITR, replicas, ...), named so it is visible. */
  ignored: string[]
}

export interface BucketSpec {
  logicalId: string
  bucketName: string
  ignored: string[]
}

export interface UserPoolSpec {
  logicalId: string
  poolName: string
  /** CreateUserPool/UpdateUserPool fields cognito-local stores. */
  settings: Record<string, unknown>
  ignored: string[]
}

export interface UserPoolClientSpec {
  logicalId: string
  userPoolLogicalId: string
  clientName: string
  settings: Record<string, unknown>
}

export interface UserPoolGroupSpec {
  logicalId: string
  userPoolLogicalId: string
  groupName: string
  description?: string
  precedence?: number
}

export interface SkippedResource {
  logicalId: string
  type: string
  reason: string
}

export interface DerivedResources {
  tables: TableSpec[]
  buckets: BucketSpec[]
  userPools: UserPoolSpec[]
  userPoolClients: UserPoolClientSpec[]
  userPoolGroups: UserPoolGroupSpec[]
  skipped: SkippedResource[]
}

type Props = Record<string, unknown>
interface KeyElement {
  AttributeName: string
  KeyType: string
}
interface IndexProps {
  IndexName: string
  KeySchema: KeyElement[]
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] }
}

// DynamoDB settings that exist only in AWS: encryption at rest, backups, replication, tags, table
// classes, contributor insights. DynamoDB Local has no equivalent, so they are listed, not applied
// (the drift test and the README's stand-ins table list the same). One local table stands for the
// global table's replica in the local region.
export const tableSettingsWithoutLocalMeaning = [
  'SSESpecification',
  'PointInTimeRecoverySpecification',
  'Replicas',
  'Tags',
  'DeletionProtectionEnabled',
  'ContributorInsightsSpecification',
  'KinesisStreamSpecification',
  'TableClass',
  'ResourcePolicy',
  'WarmThroughput',
  'OnDemandThroughput',
  'WriteOnDemandThroughputSettings',
  'WriteProvisionedThroughputSettings',
  'ImportSourceSpecification',
  'MultiRegionConsistency',
  'GlobalTableWitnesses',
]

// Pool settings cognito-local stores (see its createUserPool target). Lambda triggers, email/SMS
// delivery and add-ons point at AWS-only resources and are listed as ignored.
const userPoolSettingsCognitoLocalStores = [
  'AccountRecoverySetting',
  'AdminCreateUserConfig',
  'AliasAttributes',
  'AutoVerifiedAttributes',
  'EmailVerificationMessage',
  'EmailVerificationSubject',
  'MfaConfiguration',
  'Policies',
  'Schema',
  'UserAttributeUpdateSettings',
  'UsernameAttributes',
  'UsernameConfiguration',
  'VerificationMessageTemplate',
]

const clientSettings = [
  'AccessTokenValidity',
  'AllowedOAuthFlows',
  'AllowedOAuthFlowsUserPoolClient',
  'AllowedOAuthScopes',
  'CallbackURLs',
  'DefaultRedirectURI',
  'EnableTokenRevocation',
  'ExplicitAuthFlows',
  'GenerateSecret',
  'IdTokenValidity',
  'LogoutURLs',
  'PreventUserExistenceErrors',
  'ReadAttributes',
  'RefreshTokenValidity',
  'SupportedIdentityProviders',
  'TokenValidityUnits',
  'WriteAttributes',
]

const keys = (schema: KeyElement[]) =>
  // HASH before RANGE, as DynamoDB reports it.
  [...schema]
    .sort((a, b) => a.KeyType.localeCompare(b.KeyType))
    .map((key) => ({ name: key.AttributeName, type: key.KeyType }))

const indexShape = (index: IndexProps): IndexShape => ({
  name: index.IndexName,
  keySchema: keys(index.KeySchema),
  projectionType: index.Projection?.ProjectionType ?? 'KEYS_ONLY',
  nonKeyAttributes: [...(index.Projection?.NonKeyAttributes ?? [])].sort(),
})

const byName = <T extends { name: string }>(items: T[]) =>
  [...items].sort((a, b) => a.name.localeCompare(b.name))

const streamViewType = (props: Props): string | null => {
  const spec = props.StreamSpecification as { StreamViewType?: string; StreamEnabled?: boolean } | undefined
  if (!spec?.StreamViewType || spec.StreamEnabled === false) return null
  return spec.StreamViewType
}

const ttlAttribute = (props: Props): string | null => {
  const spec = props.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined
  return spec?.Enabled ? (spec.AttributeName ?? null) : null
}

/** The comparable shape of a table as the template declares it. */
export const tableShapeFromTemplate = (props: Props): TableShape => ({
  keySchema: keys(props.KeySchema as KeyElement[]),
  attributes: Object.fromEntries(
    (props.AttributeDefinitions as { AttributeName: string; AttributeType: string }[])
      .map((definition) => [definition.AttributeName, definition.AttributeType] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  ),
  globalIndexes: byName(((props.GlobalSecondaryIndexes ?? []) as IndexProps[]).map(indexShape)),
  localIndexes: byName(((props.LocalSecondaryIndexes ?? []) as IndexProps[]).map(indexShape)),
  streamViewType: streamViewType(props),
  ttlAttribute: ttlAttribute(props),
  billingMode: (props.BillingMode as string | undefined) ?? 'PROVISIONED',
})

/** The comparable shape of a table as DynamoDB (Local) describes it. */
export const tableShapeFromDescription = (
  table: TableDescription,
  ttlAttributeName: string | null,
): TableShape => {
  const describedIndex = (index: {
    IndexName?: string
    KeySchema?: { AttributeName?: string; KeyType?: string }[]
    Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] }
  }): IndexShape =>
    indexShape({
      IndexName: index.IndexName ?? '',
      KeySchema: (index.KeySchema ?? []) as KeyElement[],
      ...(index.Projection ? { Projection: index.Projection } : {}),
    })
  return {
    keySchema: keys((table.KeySchema ?? []) as KeyElement[]),
    attributes: Object.fromEntries(
      (table.AttributeDefinitions ?? [])
        .map((definition) => [definition.AttributeName ?? '', definition.AttributeType ?? ''] as const)
        .sort(([a], [b]) => a.localeCompare(b)),
    ),
    globalIndexes: byName((table.GlobalSecondaryIndexes ?? []).map(describedIndex)),
    localIndexes: byName((table.LocalSecondaryIndexes ?? []).map(describedIndex)),
    streamViewType: table.StreamSpecification?.StreamEnabled
      ? (table.StreamSpecification.StreamViewType ?? null)
      : null,
    ttlAttribute: ttlAttributeName,
    billingMode: table.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
  }
}

/** Human-readable differences between two shapes (empty when they match). */
export const tableShapeDifferences = (expected: TableShape, actual: TableShape): string[] =>
  (Object.keys(expected) as (keyof TableShape)[])
    .filter((key) => JSON.stringify(expected[key]) !== JSON.stringify(actual[key]))
    .map((key) => `${key}: template ${JSON.stringify(expected[key])}, local ${JSON.stringify(actual[key])}`)

const throughput = (value: unknown) =>
  (value as { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined) ?? {
    ReadCapacityUnits: 5,
    WriteCapacityUnits: 5,
  }

const tableSpec = (logicalId: string, resource: CfnResource, stackName: string): TableSpec => {
  const props = resource.Properties ?? {}
  const shape = tableShapeFromTemplate(props)
  // CloudFormation names unnamed tables `<stack>-<LogicalId>-<random>`; locally the suffix would only hurt.
  const tableName = (props.TableName as string | undefined) ?? `${stackName}-${logicalId}`
  const provisioned = shape.billingMode === 'PROVISIONED'
  const index = (props: IndexProps & { ProvisionedThroughput?: unknown }, global: boolean) => ({
    IndexName: props.IndexName,
    KeySchema: props.KeySchema.map((key) => ({
      AttributeName: key.AttributeName,
      KeyType: key.KeyType as 'HASH' | 'RANGE',
    })),
    Projection: {
      ProjectionType: (props.Projection?.ProjectionType ?? 'KEYS_ONLY') as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
      ...(props.Projection?.NonKeyAttributes ? { NonKeyAttributes: props.Projection.NonKeyAttributes } : {}),
    },
    ...(global && provisioned ? { ProvisionedThroughput: throughput(props.ProvisionedThroughput) } : {}),
  })
  const globalIndexes = (props.GlobalSecondaryIndexes ?? []) as IndexProps[]
  const localIndexes = (props.LocalSecondaryIndexes ?? []) as IndexProps[]
  return {
    logicalId,
    type: resource.Type as TableSpec['type'],
    tableName,
    shape,
    createInput: {
      TableName: tableName,
      KeySchema: (props.KeySchema as KeyElement[]).map((key) => ({
        AttributeName: key.AttributeName,
        KeyType: key.KeyType as 'HASH' | 'RANGE',
      })),
      AttributeDefinitions: (
        props.AttributeDefinitions as { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[]
      ).map(({ AttributeName, AttributeType }) => ({ AttributeName, AttributeType })),
      BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
      ...(provisioned ? { ProvisionedThroughput: throughput(props.ProvisionedThroughput) } : {}),
      ...(globalIndexes.length
        ? { GlobalSecondaryIndexes: globalIndexes.map((item) => index(item, true)) }
        : {}),
      ...(localIndexes.length
        ? { LocalSecondaryIndexes: localIndexes.map((item) => index(item, false)) }
        : {}),
      ...(shape.streamViewType
        ? {
            StreamSpecification: {
              StreamEnabled: true,
              StreamViewType: shape.streamViewType as
                | 'NEW_IMAGE'
                | 'OLD_IMAGE'
                | 'NEW_AND_OLD_IMAGES'
                | 'KEYS_ONLY',
            },
          }
        : {}),
    },
    ignored: tableSettingsWithoutLocalMeaning.filter((key) => key in props),
  }
}

const pick = (props: Props, names: string[]) =>
  Object.fromEntries(names.filter((name) => props[name] !== undefined).map((name) => [name, props[name]]))

const refTo = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'Ref' in value
    ? String((value as { Ref: unknown }).Ref)
    : undefined

/**
 * Reads `Resources` into what the local cloud creates. Names are evaluated with the pseudo
 * parameters and the template's `Conditions` only (`${AWS::StackName}`, `Fn::If` etc.), since
 * nothing exists yet. A resource whose `Condition` is false is skipped, as CloudFormation skips it.
 */
export const deriveResources = (
  resources: Record<string, CfnResource>,
  context: Pick<IntrinsicContext, 'region' | 'accountId' | 'conditions'> & { stackName: string },
): DerivedResources => {
  const derived: DerivedResources = {
    tables: [],
    buckets: [],
    userPools: [],
    userPoolClients: [],
    userPoolGroups: [],
    skipped: [],
  }
  const nothingCreated: IntrinsicContext = { ...context, refs: {}, attributes: {} }
  const resolve = (value: unknown, logicalId: string, what: string) => {
    try {
      return resolveIntrinsics(value, nothingCreated)
    } catch (error) {
      if (error instanceof UnresolvableError) throw new Error(`${logicalId}.${what}: ${error.message}`)
      throw error
    }
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {}
    if (!isCreated(resource, nothingCreated)) {
      derived.skipped.push({
        logicalId,
        type: resource.Type,
        reason: `its Condition ${resource.Condition} is false`,
      })
      continue
    }
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable': {
        const named = { ...props, TableName: resolve(props.TableName, logicalId, 'TableName') }
        derived.tables.push(tableSpec(logicalId, { ...resource, Properties: named }, context.stackName))
        break
      }
      case 'AWS::S3::Bucket': {
        const name = resolve(props.BucketName, logicalId, 'BucketName') as string | undefined
        derived.buckets.push({
          logicalId,
          // CloudFormation's generated names are lower case; so is ours.
          bucketName: name ?? `${context.stackName}-${logicalId}`.toLowerCase(),
          ignored: Object.keys(props).filter((key) => key !== 'BucketName'),
        })
        break
      }
      case 'AWS::Cognito::UserPool':
        derived.userPools.push({
          logicalId,
          poolName:
            (resolve(props.UserPoolName, logicalId, 'UserPoolName') as string | undefined) ?? logicalId,
          settings: resolve(
            pick(props, userPoolSettingsCognitoLocalStores),
            logicalId,
            'Properties',
          ) as Props,
          ignored: Object.keys(props).filter(
            (key) => key !== 'UserPoolName' && !userPoolSettingsCognitoLocalStores.includes(key),
          ),
        })
        break
      case 'AWS::Cognito::UserPoolClient': {
        const pool = refTo(props.UserPoolId)
        if (!pool) {
          derived.skipped.push({
            logicalId,
            type: resource.Type,
            reason: 'UserPoolId is not a Ref to a pool here',
          })
          break
        }
        derived.userPoolClients.push({
          logicalId,
          userPoolLogicalId: pool,
          clientName: (props.ClientName as string | undefined) ?? logicalId,
          settings: resolve(pick(props, clientSettings), logicalId, 'Properties') as Props,
        })
        break
      }
      case 'AWS::Cognito::UserPoolGroup': {
        const pool = refTo(props.UserPoolId)
        if (!pool) {
          derived.skipped.push({
            logicalId,
            type: resource.Type,
            reason: 'UserPoolId is not a Ref to a pool here',
          })
          break
        }
        derived.userPoolGroups.push({
          logicalId,
          userPoolLogicalId: pool,
          groupName: (props.GroupName as string | undefined) ?? logicalId,
          ...(props.Description !== undefined ? { description: String(props.Description) } : {}),
          ...(props.Precedence !== undefined ? { precedence: Number(props.Precedence) } : {}),
        })
        break
      }
      default:
        derived.skipped.push({ logicalId, type: resource.Type, reason: 'no local stand-in' })
    }
  }
  return derived
}
