// biome-ignore-all lint/suspicious/noExplicitAny: CloudFormation JSON is untyped; the assertions give it shape
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are literal ${...} strings
/**
 * The deployable template, checked where it matters for this service: the Identity Pool role can
 * only reach `private/${cognito-identity.amazonaws.com:sub}/*`, functions have least-privilege roles,
 * the gateway answers with problem documents, the stage is throttled, and prod protects its data.
 * Templates come from `sls package` (offline, cached by input hash; see packages/template-policy).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { loadTemplate } from '../../../packages/template-policy/src/templates'

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string }
let dev: Record<string, Resource>
let prod: Record<string, Resource>
let outputs: Record<string, unknown>

beforeAll(async () => {
  const template = await loadTemplate('todo-api', 'dev')
  dev = template.Resources as Record<string, Resource>
  outputs = (template as { Outputs?: Record<string, unknown> }).Outputs ?? {}
  prod = (await loadTemplate('todo-api', 'prod')).Resources as Record<string, Resource>
}, 600_000)

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
    expect(render(objects.Resource)).toBe('<FilesBucket.Arn>/private/${cognito-identity.amazonaws.com:sub}/*')
    const list = statements.find((s: any) => s.Action.includes('s3:ListBucket'))
    expect(list.Action).toEqual(['s3:ListBucket'])
    expect(list.Condition.StringLike['s3:prefix'].map(render)).toEqual([
      'private/${cognito-identity.amazonaws.com:sub}/*',
      'private/${cognito-identity.amazonaws.com:sub}/',
    ])
    expect(dev.IdentityPool!.Properties.AllowUnauthenticatedIdentities).toBe(false)
    expect(dev.IdentityPoolRoles!.Properties.Roles).toEqual({
      authenticated: { 'Fn::GetAtt': ['IdentityPoolAuthenticatedRole', 'Arn'] },
    })
  })
})

describe('functions', () => {
  it('run nodejs22.x on arm64 with reserved concurrency and a role of their own', () => {
    const functions = ofType(dev, 'AWS::Lambda::Function')
    expect(functions.length).toBe(9)
    for (const [name, fn] of functions) {
      expect(fn.Properties.Runtime, name).toBe('nodejs22.x')
      expect(fn.Properties.Architectures, name).toEqual(['arm64'])
      expect(fn.Properties.ReservedConcurrentExecutions, name).toBeGreaterThan(0)
      expect(fn.Properties.Role['Fn::GetAtt'][0], name).toBe(
        name.replace(/LambdaFunction$/, 'IamRoleLambdaExecution'),
      )
    }
  })

  it('never grant wildcard actions, and reach only their own resources', () => {
    for (const [name, role] of ofType(dev, 'AWS::IAM::Role')) {
      for (const policy of role.Properties.Policies ?? [])
        for (const statement of policy.PolicyDocument.Statement) {
          for (const action of [statement.Action].flat())
            expect(action, `${name}: ${action}`).not.toMatch(/\*/)
          if (statement.Resource === '*')
            expect(statement.Action, name).toEqual(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'])
        }
    }
    const actionsOf = (role: string) =>
      dev[role]!.Properties.Policies.flatMap((policy: any) => policy.PolicyDocument.Statement)
        .flatMap((statement: any) => [statement.Action].flat())
        .filter((action: string) => !action.startsWith('logs:') && !action.startsWith('xray:'))
        .sort()
    expect(actionsOf('GetTodoIamRoleLambdaExecution')).toEqual(['dynamodb:GetItem'])
    expect(actionsOf('ListTodosIamRoleLambdaExecution')).toEqual(['dynamodb:Query'])
    expect(actionsOf('AuthorizerIamRoleLambdaExecution')).toEqual([])
    expect(actionsOf('ListFilesIamRoleLambdaExecution')).toEqual(['s3:ListBucket'])
  })
})

describe('the API', () => {
  it('protects every route but the OpenAPI document with the TOKEN authorizer', () => {
    const [[, authorizer]] = ofType(dev, 'AWS::ApiGateway::Authorizer') as [[string, Resource]]
    expect(authorizer.Properties).toMatchObject({
      Type: 'TOKEN',
      IdentitySource: 'method.request.header.Authorization',
    })
    expect(authorizer.Properties.AuthorizerResultTtlInSeconds).toBeGreaterThan(0)
    const methods = ofType(dev, 'AWS::ApiGateway::Method').filter(
      ([, m]) => m.Properties.HttpMethod !== 'OPTIONS',
    )
    expect(methods.length).toBe(8)
    for (const [name, method] of methods)
      expect(method.Properties.AuthorizationType, name).toBe(name.includes('Openapi') ? 'NONE' : 'CUSTOM')
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

  it('throttles the stage', () => {
    const [[, deployment]] = ofType(dev, 'AWS::ApiGateway::Deployment') as [[string, Resource]]
    expect(deployment.Properties.StageDescription).toMatchObject({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    })
    const [[, prodDeployment]] = ofType(prod, 'AWS::ApiGateway::Deployment') as [[string, Resource]]
    expect(prodDeployment.Properties.StageDescription.ThrottlingRateLimit).toBe(500)
  })
})

describe('data', () => {
  it('keeps todos in a table keyed for per-user Queries, with a status index', () => {
    const table = dev.TodosTable!.Properties
    expect(table.KeySchema).toEqual([
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ])
    expect(table.GlobalSecondaryIndexes.map((index: any) => index.IndexName)).toEqual(['byStatus'])
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
  })
})
