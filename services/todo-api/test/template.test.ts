// biome-ignore-all lint/suspicious/noExplicitAny: CloudFormation JSON is untyped; the assertions give it shape
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} strings
/**
 * The deployable definition, checked where it matters for this service: the Identity Pool role can
 * only reach `private/${aws:PrincipalTag/sub}/*` (the user-pool sub, the API's folder), functions have least-privilege roles,
 * the gateway answers with problem documents, the stage is throttled, and prod protects its data.
 * Read from `sls print` per stage (variables and params resolved, offline, seconds), plus the
 * stage-settings plugin applied to a compiled template. (`pnpm package` + packages/template-policy
 * check the fully compiled CloudFormation of every service.)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { CfnTemplate } from '../../../packages/cloudformation/src/template'
import { packageFolder } from '../../../packages/template-policy/src/build/package'
import { rule, rulesFor } from '../../../packages/template-policy/src/rules'
import { restMethods } from '../../../packages/template-policy/src/rules/kit'

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }
const serviceDir = join(import.meta.dirname, '..')
const require = createRequire(import.meta.url)
const print = (stage: string) =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [require.resolve('serverless/bin/serverless.js'), 'print', '--stage', stage, '--format', 'json'],
      {
        cwd: serviceDir,
        env: {
          ...process.env,
          SLS_TELEMETRY_DISABLED: '1',
          COGNITO_ISSUER: '',
          COGNITO_CLIENT_IDS: '',
          CURSOR_SECRET: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ).toString(),
  )

let service: any
let dev: Record<string, Resource>
let prod: Record<string, Resource>
let local: Record<string, Resource>
let localService: any
let outputs: Record<string, unknown>

beforeAll(() => {
  service = print('dev')
  dev = service.resources.Resources
  outputs = service.resources.Outputs
  prod = print('prod').resources.Resources
  localService = print('local')
  local = localService.resources.Resources
}, 120_000)

const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type)
/** Resolves the Fn::Join pieces the template uses for ARNs into a readable string. */
const render = (value: unknown): string => {
  if (typeof value === 'string') return value
  const object = value as Record<string, unknown>
  if (object['Fn::Join']) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]]
    return parts.map(render).join(separator)
  }
  if (object['Fn::GetAtt']) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`
  if (object.Ref) return `<${String(object.Ref)}>`
  return JSON.stringify(value)
}

describe('the Identity Pool for direct SDK access', () => {
  it('gives authenticated identities their own folder and nothing else', () => {
    const role = dev.IdentityPoolAuthenticatedRole!
    const trust = role.Properties.AssumeRolePolicyDocument.Statement[0]
    expect(trust.Principal).toEqual({ Federated: 'cognito-identity.amazonaws.com' })
    expect(trust.Condition.StringEquals['cognito-identity.amazonaws.com:aud']).toEqual({
      Ref: 'IdentityPool',
    })
    expect(trust.Condition['ForAnyValue:StringLike']['cognito-identity.amazonaws.com:amr']).toBe(
      'authenticated',
    )
    const statements = role.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement)
    expect(statements).toHaveLength(2)
    const objects = statements.find((s: any) => s.Action.includes('s3:GetObject'))
    expect(objects.Action.sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject'])
    // The API's folder: the user-pool sub, carried as a principal tag (not the identity id).
    expect(render(objects.Resource)).toBe('<FilesBucket.Arn>/private/${aws:PrincipalTag/sub}/*')
    const list = statements.find((s: any) => s.Action.includes('s3:ListBucket'))
    expect(list.Action).toEqual(['s3:ListBucket'])
    expect(list.Condition.StringLike['s3:prefix'].map(render)).toEqual([
      'private/${aws:PrincipalTag/sub}/*',
      'private/${aws:PrincipalTag/sub}/',
    ])
    expect(trust.Action).toContain('sts:TagSession')
    expect(dev.IdentityPoolPrincipalTags!.Properties).toMatchObject({
      IdentityPoolId: { Ref: 'IdentityPool' },
      UseDefaults: false,
      PrincipalTags: { sub: 'sub' },
    })
    expect(dev.IdentityPool!.Properties.AllowUnauthenticatedIdentities).toBe(false)
    expect(dev.IdentityPoolRoles!.Properties.Roles).toEqual({
      authenticated: { 'Fn::GetAtt': ['IdentityPoolAuthenticatedRole', 'Arn'] },
    })
  })
})

describe('functions', () => {
  it('run nodejs22.x on arm64, each with reserved concurrency and statements of its own', () => {
    expect(service.provider).toMatchObject({ runtime: 'nodejs22.x', architecture: 'arm64' })
    expect(service.plugins).toContain('serverless-iam-roles-per-function')
    const functions = Object.entries(service.functions) as [string, any][]
    expect(functions.length).toBe(11)
    for (const [name, fn] of functions) {
      expect(fn.reservedConcurrency, name).toBeGreaterThan(0)
      expect(Array.isArray(fn.iamRoleStatements), name).toBe(true)
    }
  })

  it('never grant wildcard actions, and reach only their own resources', () => {
    const statements = [
      ...service.provider.iam.role.statements,
      ...Object.values(service.functions).flatMap((fn: any) => fn.iamRoleStatements),
    ]
    for (const statement of statements) {
      for (const action of [statement.Action].flat()) expect(action).not.toMatch(/\*/)
      if (statement.Resource === '*')
        expect(statement.Action).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'])
    }
    const actionsOf = (name: string) =>
      service.functions[name].iamRoleStatements.flatMap((statement: any) => [statement.Action].flat()).sort()
    expect(actionsOf('getTodo')).toEqual(['dynamodb:GetItem'])
    expect(actionsOf('listTodos')).toEqual(['dynamodb:Query'])
    // The change feed: Query on its index only, nothing on the table itself.
    expect(actionsOf('listTodoChanges')).toEqual(['dynamodb:Query'])
    expect(render(service.functions.listTodoChanges.iamRoleStatements[0].Resource)).toBe(
      '<TodosTable.Arn>/index/byChange',
    )
    // The usage plans' marker read and key request (packages/template-policy/src/usage-plans.test.ts).
    expect(actionsOf('authorizer')).toEqual(['dynamodb:GetItem', 'sqs:SendMessage'])
    expect(actionsOf('openapi')).toEqual([])
    expect(actionsOf('listFiles')).toEqual(['s3:ListBucket'])
    const [objects] = service.functions.createFileLink.iamRoleStatements
    expect(render(objects.Resource)).toBe('<FilesBucket.Arn>/private/*')
  })
})

/** The HTTP events of a printed service, with their function's key. */
const httpEvents = (printed: any) =>
  Object.entries(printed.functions).flatMap(([name, fn]: [string, any]) =>
    (fn.events ?? []).filter((event: any) => event.http).map((event: any) => ({ name, http: event.http })),
  )

describe('the API', () => {
  it('protects every route but the OpenAPI document with the TOKEN authorizer', () => {
    const events = httpEvents(service)
    expect(events.length).toBe(9)
    for (const { name, http } of events) {
      if (name === 'openapi') expect(http.authorizer, name).toBeUndefined()
      else
        expect(http.authorizer, name).toMatchObject({
          name: 'authorizer',
          type: 'token',
          identitySource: 'method.request.header.Authorization',
          resultTtlInSeconds: 300,
        })
    }
  })

  // Packaged dev and prod: packages/template-policy/src/usage-plans.test.ts (plans, private methods, roles).
  it('makes authorized routes private (per-user usage plans) outside the local stage only', () => {
    const privacy = (printed: any) =>
      httpEvents(printed)
        .filter(({ http }) => http.authorizer)
        .map(({ http }) => http.private)
    expect(privacy(service)).toEqual(Array(8).fill(true))
    // serverless-offline would check the authorizer's key against a local key list of its own.
    expect(privacy(localService)).toEqual(Array(8).fill(false))
    expect(localService.functions.authorizer.environment.USAGE_PLANS_ENFORCED).toBe('false')
  })

  it('answers gateway errors with problem documents', () => {
    const responses = Object.fromEntries(
      ofType(dev, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => [
        r.Properties.ResponseType,
        r.Properties,
      ]),
    )
    for (const type of ['UNAUTHORIZED', 'ACCESS_DENIED', 'DEFAULT_4XX', 'DEFAULT_5XX', 'THROTTLED']) {
      expect(responses[type]?.ResponseParameters['gatewayresponse.header.Content-Type'], type).toBe(
        "'application/problem+json'",
      )
      expect(responses[type]?.ResponseTemplates['application/json'], type).toContain('"type":"/problems/')
    }
  })

  it('throttles the stage, and caches nothing while the stage leaves the cache off', () => {
    const StageSettings = require('../serverless/stage-settings.cjs')
    const Resources: Record<string, any> = {
      ApiGatewayDeployment1: { Type: 'AWS::ApiGateway::Deployment', Properties: { StageName: 'dev' } },
      ApiGatewayMethodTodosGet: {
        Type: 'AWS::ApiGateway::Method',
        Properties: { HttpMethod: 'GET', Integration: { Type: 'AWS_PROXY' } },
      },
    }
    new StageSettings({
      service: {
        custom: { stageSettings: service.custom.stageSettings },
        provider: { compiledCloudFormationTemplate: { Resources } },
      },
    }).apply()
    expect(Resources.ApiGatewayDeployment1.Properties.StageDescription).toMatchObject({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
      CacheClusterEnabled: false,
    })
    expect(Resources.ApiGatewayMethodTodosGet.Properties.Integration.CacheKeyParameters).toBeUndefined()
    expect(print('prod').custom.stageSettings.throttlingRateLimit).toBe(500)
  })
})

/**
 * With `apiCacheEnabled` the stage caches GETs. Packaged for real with the cache on (`sls package
 * --param apiCacheEnabled=true`, offline, ~30 s), then checked by the template-policy rule every
 * packaged API of every service runs under: every cached method is keyed by every path parameter
 * and the caller, and no write is cached. Before the fix `GET /todos/{id}` was keyed without `id`.
 */
describe('the API with the response cache on', () => {
  let cached: CfnTemplate
  beforeAll(async () => {
    const artifacts = mkdtempSync(join(tmpdir(), 'todo-api-cache-'))
    try {
      cached = await packageFolder({
        folder: serviceDir,
        stage: 'dev',
        artifacts,
        params: { apiCacheEnabled: 'true' },
      })
    } finally {
      rmSync(artifacts, { recursive: true, force: true })
    }
  }, 240_000)

  it('keys every cached method by every path parameter and the caller, and caches no write', () => {
    const methods = restMethods(cached)
    const stage = Object.values(cached.Resources).find((r) => r.Type === 'AWS::ApiGateway::Deployment')
    const description = (stage?.Properties as any)?.StageDescription
    expect(description.CacheClusterEnabled).toBe(true)
    const cachedPaths = description.MethodSettings.filter((s: any) => s.CachingEnabled).map(
      (s: any) => `${s.HttpMethod} ${s.ResourcePath}`,
    )
    // Every GET, and only GETs, each with its own entry.
    expect(cachedPaths.sort()).toEqual(
      methods
        .filter((m) => m.httpMethod === 'GET')
        .map((m) => `GET /${m.path.replace(/\//g, '~1')}`)
        .sort(),
    )
    expect(methods.find((m) => m.path === '/todos/{id}' && m.httpMethod === 'GET')?.cacheKeys).toEqual(
      expect.arrayContaining(['method.request.path.id', 'method.request.header.Authorization']),
    )
    expect(rule('apigateway-cache-keys').check(cached)).toEqual([])
  })
})

describe('data', () => {
  it('keeps todos in a table keyed for per-user Queries, with a status index', () => {
    const table = dev.TodosTable!.Properties
    expect(table.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ])
    expect(table.GlobalSecondaryIndexes.map((index: any) => index.IndexName)).toEqual([
      'byStatus',
      'byChange',
    ])
    // Sync tombstones expire on their own.
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true })
    expect(table.SSESpecification.SSEEnabled).toBe(true)
    expect(dev.TodosTable!.DeletionPolicy).toBe('Retain')
    expect(table.DeletionProtectionEnabled).toBe(false)
    expect(prod.TodosTable!.Properties.DeletionProtectionEnabled).toBe(true)
  })

  it('keeps files private, encrypted and TLS-only', () => {
    const bucket = dev.FilesBucket!.Properties
    expect(Object.values(bucket.PublicAccessBlockConfiguration)).toEqual([true, true, true, true])
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
    ).toBe('AES256')
    const [deny] = dev.FilesBucketPolicy!.Properties.PolicyDocument.Statement
    expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })
  })

  it('exports the user pool for the other services', () => {
    for (const name of [
      'UserPoolId',
      'UserPoolArn',
      'UserPoolClientId',
      'UserPoolProviderUrl',
      'UserPoolIssuer',
      'IdentityPoolId',
    ])
      expect(outputs, name).toHaveProperty(name)
    const client = dev.UserPoolClient!.Properties
    expect(client.GenerateSecret).toBe(false)
    expect(client.ExplicitAuthFlows).toEqual([
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ])
    expect(dev.AuthorsGroup!.Properties.GroupName).toBe('authors')
    expect(dev.EditorsGroup!.Properties).toMatchObject({
      GroupName: 'editors',
      UserPoolId: { Ref: 'UserPool' },
    })
  })
})

/**
 * The DAX read tier, packaged for real (`sls package --stage prod`, where `daxEnabled` is on) and in
 * dev (off): the cluster with TLS and SSE, its parameter group, the VPC the five DAX functions run in
 * with the endpoints they still call (no NAT), port 9111 open to the functions' group only, and each
 * function's `dax:` actions on this cluster alone. Then every template-policy rule on the prod template.
 */
describe('the DAX read tier', () => {
  const DAX_FUNCTIONS = ['CreateTodo', 'ListTodos', 'GetTodo', 'UpdateTodo', 'DeleteTodo']
  let daxProd: CfnTemplate
  let daxDev: CfnTemplate
  beforeAll(async () => {
    const artifacts = mkdtempSync(join(tmpdir(), 'todo-api-dax-'))
    try {
      daxProd = await packageFolder({ folder: serviceDir, stage: 'prod', artifacts: join(artifacts, 'prod') })
      daxDev = await packageFolder({ folder: serviceDir, stage: 'dev', artifacts: join(artifacts, 'dev') })
    } finally {
      rmSync(artifacts, { recursive: true, force: true })
    }
  }, 480_000)
  const resource = (template: CfnTemplate, id: string) =>
    template.Resources[id] as unknown as Resource & { Condition?: string }

  it('is a condition: on in prod, off (no VPC, no DAX resource created) in dev', () => {
    expect(daxProd.Conditions?.DaxEnabled).toEqual({ 'Fn::Equals': [true, true] })
    expect(daxDev.Conditions?.DaxEnabled).toEqual({ 'Fn::Equals': [false, true] })
    const daxIds = Object.keys(daxProd.Resources).filter((id) => id.startsWith('Dax'))
    expect(daxIds.length).toBeGreaterThan(15)
    for (const id of daxIds) expect(resource(daxDev, id).Condition, id).toBe('DaxEnabled')
    for (const [id, fn] of Object.entries(daxDev.Resources).filter(
      ([, r]) => r.Type === 'AWS::Lambda::Function',
    )) {
      expect((fn.Properties as any).VpcConfig, id).toBeUndefined()
      expect((fn.Properties as any).Environment?.Variables?.DAX_ENDPOINT ?? '', id).toBe('')
    }
  })

  it('runs a TLS, encrypted cluster with TTLs of its own', () => {
    const cluster = resource(daxProd, 'DaxCluster').Properties
    expect(cluster).toMatchObject({
      NodeType: 'dax.t3.small',
      ReplicationFactor: 3,
      AvailabilityZones: ['A', 'B', 'C'].map((az) => ({
        'Fn::GetAtt': [`DaxSubnet${az}`, 'AvailabilityZone'],
      })),
      SSESpecification: { SSEEnabled: true },
      ClusterEndpointEncryptionType: 'TLS',
      SubnetGroupName: { Ref: 'DaxSubnetGroup' },
      ParameterGroupName: { Ref: 'DaxParameterGroup' },
      SecurityGroupIds: [{ 'Fn::GetAtt': ['DaxClusterSecurityGroup', 'GroupId'] }],
    })
    expect(resource(daxProd, 'DaxParameterGroup').Properties.ParameterNameValues).toEqual({
      'record-ttl-millis': '300000',
      'query-ttl-millis': '1000',
    })
    expect(resource(daxProd, 'DaxSubnetGroup').Properties.SubnetIds).toEqual([
      { Ref: 'DaxSubnetA' },
      { Ref: 'DaxSubnetB' },
      { Ref: 'DaxSubnetC' },
    ])
  })

  it('puts exactly the five DAX functions in the VPC, with the endpoint and nothing needing a NAT', () => {
    const inVpc = Object.entries(daxProd.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && (r.Properties as any).VpcConfig)
      .map(([id]) => id)
    expect(inVpc.sort()).toEqual(DAX_FUNCTIONS.map((name) => `${name}LambdaFunction`).sort())
    for (const id of inVpc) {
      const { VpcConfig, Environment } = resource(daxProd, id).Properties
      expect(VpcConfig).toMatchObject({
        SecurityGroupIds: [{ Ref: 'DaxClientSecurityGroup' }],
        SubnetIds: [{ Ref: 'DaxSubnetA' }, { Ref: 'DaxSubnetB' }, { Ref: 'DaxSubnetC' }],
      })
      expect(Environment.Variables.DAX_ENDPOINT).toEqual({
        'Fn::GetAtt': ['DaxCluster', 'ClusterDiscoveryEndpointURL'],
      })
    }
    const types = Object.values(daxProd.Resources).map((r) => r.Type)
    for (const type of ['AWS::EC2::NatGateway', 'AWS::EC2::InternetGateway', 'AWS::EC2::EIP'])
      expect(types).not.toContain(type)
    const endpoints = Object.values(daxProd.Resources)
      .filter((r) => r.Type === 'AWS::EC2::VPCEndpoint')
      .map((r) => [
        render((r.Properties as any).ServiceName['Fn::Sub']),
        (r.Properties as any).VpcEndpointType,
      ])
    expect(endpoints.sort()).toEqual([
      ['com.amazonaws.${AWS::Region}.dynamodb', 'Gateway'],
      ['com.amazonaws.${AWS::Region}.xray', 'Interface'],
    ])
  })

  it('opens the cluster on 9111 to the functions only', () => {
    const ingress = Object.values(daxProd.Resources).filter(
      (r) =>
        r.Type === 'AWS::EC2::SecurityGroupIngress' &&
        JSON.stringify((r.Properties as any).GroupId) === JSON.stringify({ Ref: 'DaxClusterSecurityGroup' }),
    )
    expect(ingress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 9111,
        ToPort: 9111,
        SourceSecurityGroupId: { Ref: 'DaxClientSecurityGroup' },
      }),
    ])
    expect(
      (resource(daxProd, 'DaxClusterSecurityGroup').Properties as any).SecurityGroupIngress,
    ).toBeUndefined()
  })

  it("grants each function only its dax: actions, on this cluster's ARN", () => {
    const grants = Object.fromEntries(
      Object.values(daxProd.Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy')
        .flatMap((r) => {
          const p = r.Properties as any
          return p.PolicyDocument.Statement.filter((s: any) =>
            [s.Action].flat().some((a: string) => a.startsWith('dax:')),
          ).map((s: any) => [p.Roles[0].Ref, { actions: [s.Action].flat().sort(), resource: s.Resource }])
        }),
    )
    const cluster = { 'Fn::GetAtt': ['DaxCluster', 'Arn'] }
    expect(grants).toEqual({
      GetTodoIamRoleLambdaExecution: { actions: ['dax:GetItem'], resource: cluster },
      ListTodosIamRoleLambdaExecution: { actions: ['dax:Query'], resource: cluster },
      CreateTodoIamRoleLambdaExecution: { actions: ['dax:PutItem'], resource: cluster },
      UpdateTodoIamRoleLambdaExecution: { actions: ['dax:PutItem'], resource: cluster },
      DeleteTodoIamRoleLambdaExecution: { actions: ['dax:DeleteItem', 'dax:PutItem'], resource: cluster },
    })
    for (const name of DAX_FUNCTIONS)
      expect(daxProd.Resources[`${name}IamRoleLambdaExecution`]?.Type).toBe('AWS::IAM::Role')
  })

  it('passes every template-policy rule', () => {
    for (const each of rulesFor('prod')) expect(each.check(daxProd), each.id).toEqual([])
  })
})

describe('Cognito: who signs up, and who sends the mail', () => {
  const pool = (resources: Record<string, Resource>) => resources.UserPool!.Properties

  it('sends verification and reset mail through SES in prod, as a verified identity of the account', () => {
    const { EmailConfiguration: email } = pool(prod)
    expect(email.EmailSendingAccount).toBe('DEVELOPER')
    const arn = email.SourceArn['Fn::Sub'] as string
    const identity = arn.match(
      /^arn:\$\{AWS::Partition\}:ses:\$\{AWS::Region\}:\$\{AWS::AccountId\}:identity\/(.+)$/,
    )?.[1]
    expect(identity, arn).toBeTruthy()
    // The sender address belongs to the identity Cognito is allowed to send as.
    expect(email.From).toMatch(new RegExp(`@${identity!.replaceAll('.', '\\.')}>?$`))
  })

  it('keeps Cognito’s own sender in the other stages', () => {
    for (const resources of [dev, local])
      expect(pool(resources).EmailConfiguration).toEqual({ EmailSendingAccount: 'COGNITO_DEFAULT' })
  })

  it('lets users sign themselves up only where mail is not capped at Cognito’s 50 a day (prod) and locally', () => {
    expect(pool(prod).AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false })
    expect(pool(local).AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: false })
    expect(pool(dev).AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true })
  })
})
