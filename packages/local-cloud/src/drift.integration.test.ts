/**
 * No drift between the deployable templates and the local cloud. What DynamoDB Local, s3rver and
 * cognito-local report is compared with the *packaged* CloudFormation template of each service
 * (`pnpm package --stage local`, the template IAM enforcement reads, with what plugins add), not with
 * the `sls print` output and shape model the provisioner derives from: a setting the provisioner
 * drops, or one a plugin changes at package time, shows here.
 *
 * Every property of every table, bucket, pool, client and group the templates declare is either
 * compared (the stand-in reproduces it) or listed below as not supported locally; a property in
 * neither list fails the test until someone decides which it is. Which services, tables, buckets and
 * pools exist is asserted by name (INVENTORY), so one that disappears from both sides fails too.
 */
import { readFileSync } from 'node:fs'
import {
  type CfnResource,
  type CfnTemplate,
  evaluate,
  type IntrinsicContext,
  isCreated,
  readCompose,
  referencedId,
} from '@app/cloudformation'
import { ensurePackaged, ROOT_DIR } from '@app/template-policy/templates'
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  paginateListUserPools,
} from '@aws-sdk/client-cognito-identity-provider'
import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  paginateListTables,
} from '@aws-sdk/client-dynamodb'
import { HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, it } from 'vitest'
import { tableSettingsWithoutLocalMeaning } from './template/resources'
import { localCloud } from './testing'

const STAGE = 'local'

/** Every service of the repo with its tables, buckets and user pools, by physical name. */
const INVENTORY: Record<string, { tables: string[]; buckets: string[]; pools: string[] }> = {
  'todo-api': {
    tables: ['todo-api-local-idempotency', 'todo-api-local-todos', 'todo-api-local-usage-keys'],
    buckets: ['todo-api-local-files'],
    pools: ['todo-api-local-users'],
  },
  'blog-site': {
    tables: ['blog-site-local-photos', 'blog-site-local-posts', 'blog-site-local-subscribers'],
    buckets: ['blog-site-local-site', 'blog-site-local-thumbnails', 'blog-site-local-uploads'],
    pools: [],
  },
  'welcome-mailer': { tables: ['welcome-mailer-local-sent-emails'], buckets: [], pools: [] },
  thumbnailer: { tables: [], buckets: [], pools: [] },
  workflows: {
    tables: ['workflows-local-job-quota', 'workflows-local-jobs', 'workflows-local-usage-keys'],
    buckets: ['workflows-local-data'],
    pools: [],
  },
  realtime: { tables: ['realtime-local-connections'], buckets: [], pools: [] },
}

/**
 * Per resource type: the template properties the local stand-in reproduces (compared below) and the
 * ones it does not (listed, never compared; the README's local stand-ins table says the same).
 */
const TABLE_COMPARED = [
  'TableName',
  'KeySchema',
  'AttributeDefinitions',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'BillingMode',
  'StreamSpecification',
  'TimeToLiveSpecification',
]
const PROPERTIES = {
  // ProvisionedThroughput exists on Table only (a GlobalTable's is per replica).
  'AWS::DynamoDB::Table': {
    compared: [...TABLE_COMPARED, 'ProvisionedThroughput'],
    notSupported: tableSettingsWithoutLocalMeaning,
  },
  'AWS::DynamoDB::GlobalTable': { compared: TABLE_COMPARED, notSupported: tableSettingsWithoutLocalMeaning },
  'AWS::S3::Bucket': {
    compared: ['BucketName'],
    // NotificationConfiguration is not a stand-in setting: the local wiring routes s3rver's events by
    // the template's own rules (wiring/s3-notifications.ts). The rest has no s3rver equivalent.
    notSupported: [
      'NotificationConfiguration',
      'BucketEncryption',
      'VersioningConfiguration',
      'PublicAccessBlockConfiguration',
      'OwnershipControls',
      'LifecycleConfiguration',
      'CorsConfiguration',
      'LoggingConfiguration',
      'ObjectLockConfiguration',
      'ObjectLockEnabled',
      'ReplicationConfiguration',
      'WebsiteConfiguration',
      'AccelerateConfiguration',
      'IntelligentTieringConfigurations',
      'InventoryConfigurations',
      'MetricsConfigurations',
      'AnalyticsConfigurations',
      'Tags',
    ],
  },
  'AWS::Cognito::UserPool': {
    compared: [
      'UserPoolName',
      'Policies',
      'UsernameAttributes',
      'AutoVerifiedAttributes',
      'MfaConfiguration',
      'AccountRecoverySetting',
      'Schema',
    ],
    // cognito-local does not enforce deletion protection or MFA factors, send mail/SMS, run triggers or
    // tiers, nor refuse SignUp when only admins may create users (AdminCreateUserConfig).
    notSupported: [
      'DeletionProtection',
      'AdminCreateUserConfig',
      'EnabledMfas',
      'UserPoolTags',
      'LambdaConfig',
      'EmailConfiguration',
      'SmsConfiguration',
      'UserPoolAddOns',
      'DeviceConfiguration',
      'UserPoolTier',
    ],
  },
  'AWS::Cognito::UserPoolClient': {
    compared: ['ClientName', 'UserPoolId', 'ExplicitAuthFlows', 'GenerateSecret'],
    // cognito-local issues tokens of fixed validity and has no revocation or user-existence errors setting.
    notSupported: [
      'AccessTokenValidity',
      'IdTokenValidity',
      'RefreshTokenValidity',
      'TokenValidityUnits',
      'EnableTokenRevocation',
      'PreventUserExistenceErrors',
      'AllowedOAuthFlows',
      'AllowedOAuthFlowsUserPoolClient',
      'AllowedOAuthScopes',
      'CallbackURLs',
      'LogoutURLs',
      'SupportedIdentityProviders',
    ],
  },
  'AWS::Cognito::UserPoolGroup': {
    compared: ['GroupName', 'UserPoolId', 'Description', 'Precedence'],
    notSupported: ['RoleArn'],
  },
} as const satisfies Record<string, { compared: readonly string[]; notSupported: readonly string[] }>
type StandInType = keyof typeof PROPERTIES

/**
 * Resources the framework itself adds that have no local stand-in on purpose: the deployment bucket
 * holds the packaged zips, and local functions run from source.
 */
const FRAMEWORK_RESOURCES = new Set(['ServerlessDeploymentBucket'])

const cloud = localCloud()
const admin = {
  region: cloud.region,
  credentials: {
    accessKeyId: cloud.functionEnv.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: cloud.functionEnv.AWS_SECRET_ACCESS_KEY ?? '',
  },
}
const dynamodb = new DynamoDBClient({ ...admin, endpoint: cloud.endpoints.dynamodb })
const s3 = new S3Client({ ...admin, endpoint: cloud.endpoints.s3, forcePathStyle: true })
const cognito = new CognitoIdentityProviderClient({ ...admin, endpoint: cloud.endpoints.cognito.endpoint })

interface Declared {
  service: string
  logicalId: string
  type: StandInType
  resource: CfnResource
  /** The compared properties, evaluated as CloudFormation would (strict: nothing left unresolved). */
  props: Record<string, unknown>
}

const templates = new Map<string, CfnTemplate>()
let declared: Declared[] = []
let conditionedOut: Declared[] = []

beforeAll(async () => {
  // The templates the local cloud's IAM reads: packaged without bundles, as it does.
  const [report] = await ensurePackaged([STAGE], undefined, { bundles: false })
  for (const service of cloud.services) {
    const result = report?.services.find((entry) => entry.name === service.name)
    if (!result || !('templatePath' in result)) throw new Error(`${service.name}: not packaged for ${STAGE}`)
    templates.set(service.name, JSON.parse(readFileSync(result.templatePath, 'utf8')) as CfnTemplate)
  }
  const all = [...templates].flatMap(([service, template]) => {
    const context: IntrinsicContext = {
      region: cloud.region,
      accountId: '000000000000',
      stackName: `${service}-${STAGE}`,
      ...(template.Conditions ? { conditions: template.Conditions } : {}),
      ...(template.Parameters ? { parameterDefaults: template.Parameters } : {}),
    }
    return Object.entries(template.Resources)
      .filter(([logicalId, resource]) => resource.Type in PROPERTIES && !FRAMEWORK_RESOURCES.has(logicalId))
      .map(([logicalId, resource]) => {
        const type = resource.Type as StandInType
        const raw = resource.Properties ?? {}
        const compared = Object.fromEntries(
          PROPERTIES[type].compared
            .filter((key) => raw[key] !== undefined && key !== 'UserPoolId')
            .map((key) => [key, evaluate(raw[key], context)]),
        )
        const entry: Declared = { service, logicalId, type, resource, props: compared }
        return { entry, exists: isCreated(resource, context) }
      })
  })
  declared = all.filter((item) => item.exists).map((item) => item.entry)
  conditionedOut = all.filter((item) => !item.exists).map((item) => item.entry)
}, 900_000)

const ofType = (...types: StandInType[]) => declared.filter((item) => types.includes(item.type))
const nameOf = (item: Declared) =>
  String(item.props.TableName ?? item.props.BucketName ?? item.props.UserPoolName ?? item.logicalId)
const sortBy = <T>(items: readonly T[] | undefined, key: (item: T) => string) =>
  [...(items ?? [])].sort((a, b) => key(a).localeCompare(key(b)))

describe('the local cloud covers every service and resource, by name', () => {
  it('runs every compose service', () => {
    const names = (list: { name: string }[]) => list.map((service) => service.name).sort()
    expect(names(cloud.services)).toEqual(Object.keys(INVENTORY).sort())
    expect(names(readCompose(ROOT_DIR))).toEqual(Object.keys(INVENTORY).sort())
  })

  it('the packaged templates declare exactly the inventory', () => {
    const inventory = Object.fromEntries(
      [...templates.keys()].map((service) => {
        const names = (...types: StandInType[]) =>
          ofType(...types)
            .filter((item) => item.service === service)
            .map(nameOf)
            .sort()
        return [
          service,
          {
            tables: names('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'),
            buckets: names('AWS::S3::Bucket'),
            pools: names('AWS::Cognito::UserPool'),
          },
        ]
      }),
    )
    expect(inventory).toEqual(INVENTORY)
  })

  it('every table and bucket of the inventory exists locally, and none a false Condition removes', async () => {
    // Other files of the run add tables and pools of their own: every page.
    const TableNames: string[] = []
    for await (const page of paginateListTables({ client: dynamodb }, {}))
      TableNames.push(...(page.TableNames ?? []))
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}))
    const bucketNames = Buckets.map((bucket) => bucket.Name)
    for (const { tables, buckets } of Object.values(INVENTORY)) {
      expect(TableNames).toEqual(expect.arrayContaining(tables))
      expect(bucketNames).toEqual(expect.arrayContaining(buckets))
    }
    for (const item of conditionedOut) {
      expect(TableNames, `${item.service} ${item.logicalId}`).not.toContain(nameOf(item))
      expect(bucketNames, `${item.service} ${item.logicalId}`).not.toContain(nameOf(item))
    }
  })

  it('classifies every template property of those resources as compared or not supported', () => {
    const unclassified = declared.flatMap((item) => {
      const { compared, notSupported } = PROPERTIES[item.type]
      const known = new Set<string>([...compared, ...notSupported])
      return Object.keys(item.resource.Properties ?? {})
        .filter((key) => !known.has(key))
        .map((key) => `${item.service} ${item.logicalId} (${item.type}): ${key}`)
    })
    expect(unclassified).toEqual([])
  })
})

type KeyElement = { AttributeName?: string; KeyType?: string }
type Index = {
  IndexName?: string
  KeySchema?: KeyElement[]
  Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] }
  ProvisionedThroughput?: { ReadCapacityUnits?: number | string; WriteCapacityUnits?: number | string }
}
const keySchema = (keys: KeyElement[] | undefined) =>
  (keys ?? []).map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType }))
const throughput = (value: Index['ProvisionedThroughput']) =>
  value && {
    ReadCapacityUnits: Number(value.ReadCapacityUnits),
    WriteCapacityUnits: Number(value.WriteCapacityUnits),
  }
const index = (item: Index, provisioned: boolean) => ({
  IndexName: item.IndexName,
  KeySchema: keySchema(item.KeySchema),
  Projection: {
    ProjectionType: item.Projection?.ProjectionType,
    NonKeyAttributes: [...(item.Projection?.NonKeyAttributes ?? [])].sort(),
  },
  ...(provisioned ? { ProvisionedThroughput: throughput(item.ProvisionedThroughput) } : {}),
})

/** The compared table properties as the template declares them (CloudFormation's defaults filled in). */
const tableFromTemplate = (props: Record<string, unknown>) => {
  const billingMode = (props.BillingMode as string | undefined) ?? 'PROVISIONED'
  const provisioned = billingMode === 'PROVISIONED'
  const stream = props.StreamSpecification as { StreamViewType?: string } | undefined
  const ttl = props.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined
  return {
    KeySchema: keySchema(props.KeySchema as KeyElement[]),
    AttributeDefinitions: sortBy(
      props.AttributeDefinitions as { AttributeName: string; AttributeType: string }[],
      (item) => item.AttributeName,
    ),
    GlobalSecondaryIndexes: sortBy(
      (props.GlobalSecondaryIndexes as Index[] | undefined)?.map((item) => index(item, provisioned)),
      (item) => String(item.IndexName),
    ),
    LocalSecondaryIndexes: sortBy(
      (props.LocalSecondaryIndexes as Index[] | undefined)?.map((item) => index(item, false)),
      (item) => String(item.IndexName),
    ),
    BillingMode: billingMode,
    ProvisionedThroughput: provisioned
      ? (throughput(props.ProvisionedThroughput as Index['ProvisionedThroughput']) ?? null)
      : null,
    StreamViewType: stream?.StreamViewType ?? null,
    TimeToLiveAttribute: ttl?.Enabled ? (ttl.AttributeName ?? null) : null,
  }
}

/** The same properties as DynamoDB Local describes the table. */
const tableFromStandIn = async (name: string) => {
  const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: name }))
  const { TimeToLiveDescription: ttl } = await dynamodb.send(
    new DescribeTimeToLiveCommand({ TableName: name }),
  )
  const billingMode = table?.BillingModeSummary?.BillingMode ?? 'PROVISIONED'
  const provisioned = billingMode === 'PROVISIONED'
  return {
    KeySchema: keySchema(table?.KeySchema),
    AttributeDefinitions: sortBy(
      (table?.AttributeDefinitions ?? []).map(({ AttributeName = '', AttributeType = '' }) => ({
        AttributeName,
        AttributeType,
      })),
      (item) => item.AttributeName,
    ),
    GlobalSecondaryIndexes: sortBy(
      table?.GlobalSecondaryIndexes?.map((item) => index(item as Index, provisioned)),
      (item) => String(item.IndexName),
    ),
    LocalSecondaryIndexes: sortBy(
      table?.LocalSecondaryIndexes?.map((item) => index(item as Index, false)),
      (item) => String(item.IndexName),
    ),
    BillingMode: billingMode,
    ProvisionedThroughput: provisioned
      ? (throughput(table?.ProvisionedThroughput as Index['ProvisionedThroughput']) ?? null)
      : null,
    StreamViewType: table?.StreamSpecification?.StreamEnabled
      ? (table.StreamSpecification.StreamViewType ?? null)
      : null,
    TimeToLiveAttribute:
      ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING'
        ? (ttl.AttributeName ?? null)
        : null,
  }
}

const tableCases = () =>
  Object.entries(INVENTORY).flatMap(([service, { tables }]) => tables.map((name) => [service, name] as const))
const bucketCases = () =>
  Object.entries(INVENTORY).flatMap(([service, { buckets }]) =>
    buckets.map((name) => [service, name] as const),
  )
const poolCases = () =>
  Object.entries(INVENTORY).flatMap(([service, { pools }]) => pools.map((name) => [service, name] as const))

const declaredNamed = (service: string, name: string, ...types: StandInType[]) => {
  const found = ofType(...types).find((item) => item.service === service && nameOf(item) === name)
  if (!found) throw new Error(`${service}: the packaged template declares no ${name}`)
  return found
}

describe('DynamoDB Local tables match the packaged templates', () => {
  it.each(tableCases())('%s table %s', async (service, name) => {
    const table = declaredNamed(service, name, 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable')
    expect(await tableFromStandIn(name)).toEqual(tableFromTemplate(table.props))
  })
})

describe('s3rver buckets match the packaged templates', () => {
  it.each(bucketCases())('%s bucket %s', async (service, name) => {
    declaredNamed(service, name, 'AWS::S3::Bucket')
    await expect(s3.send(new HeadBucketCommand({ Bucket: name }))).resolves.toBeDefined()
  })
})

describe('cognito-local pools match the packaged templates', () => {
  it.each(poolCases())('%s user pool %s', async (service, name) => {
    const pool = declaredNamed(service, name, 'AWS::Cognito::UserPool')
    const found = []
    for await (const page of paginateListUserPools({ client: cognito }, { MaxResults: 60 }))
      found.push(...(page.UserPools ?? []).filter((item) => item.Name === name))
    expect(found).toHaveLength(1)
    const UserPoolId = found[0]?.Id
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId }))
    const p = pool.props
    // toMatchObject: cognito-local, like Cognito, fills in what the template leaves out
    // (TemporaryPasswordValidityDays, the standard attributes of the schema).
    expect(UserPool?.Policies ?? {}).toMatchObject((p.Policies as object | undefined) ?? {})
    expect(UserPool?.UsernameAttributes).toEqual(p.UsernameAttributes)
    expect(UserPool?.AutoVerifiedAttributes).toEqual(p.AutoVerifiedAttributes)
    expect(UserPool?.MfaConfiguration ?? 'OFF').toBe(p.MfaConfiguration ?? 'OFF')
    expect(UserPool?.AccountRecoverySetting).toEqual(p.AccountRecoverySetting)
    for (const attribute of (p.Schema as { Name: string }[] | undefined) ?? [])
      expect(UserPool?.SchemaAttributes).toContainEqual(expect.objectContaining(attribute))

    const owned = (type: StandInType) =>
      ofType(type).filter(
        (item) =>
          item.service === pool.service &&
          referencedId(item.resource.Properties?.UserPoolId) === pool.logicalId,
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
      expect(Boolean(UserPoolClient?.ClientSecret)).toBe(
        client.props.GenerateSecret === true || client.props.GenerateSecret === 'true',
      )
    }
    // Every declared group exists as declared. Tests of the same run may add groups of their own to
    // the shared pool (the blog's forged-group test does), so extra groups are not provisioning drift.
    const { Groups = [] } = await cognito.send(new ListGroupsCommand({ UserPoolId }))
    for (const group of owned('AWS::Cognito::UserPoolGroup')) {
      const local = Groups.find((item) => item.GroupName === group.props.GroupName)
      expect(local, `group ${String(group.props.GroupName)}`).toBeDefined()
      expect(local?.Description).toEqual(group.props.Description)
      expect(local?.Precedence).toEqual(
        group.props.Precedence === undefined ? undefined : Number(group.props.Precedence),
      )
    }
  })
})
