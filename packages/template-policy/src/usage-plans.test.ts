// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings are literal ${...}
/**
 * Per-user usage plans (issue 11, "Per-caller limits"), checked on the packaged templates of the two
 * APIs that have them, for every stage template-policy packages: the REST API takes its keys from the
 * authorizer, each stage's per-user and newcomer plans carry that stage's params, every authorized
 * method is private (the plans apply to it), the authorizer can name the newcomer key that is in the
 * newcomer plan, and the provisioner's role reaches API keys and its own plan only. The local stage
 * (no plans enforced, routes not private) is checked by services/todo-api/test/template.test.ts.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CfnTemplate } from '@app/cloudformation'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadTemplate, ROOT_DIR, STAGES } from './templates'

type Resource = { Type: string; Properties: Record<string, unknown> }
type Statement = { Effect: string; Action: string | string[]; Resource: unknown }

const SERVICES = ['todo-api', 'workflows'] as const

/** The service's params for a stage as serverless.yml writes them: `default` under the stage's own. */
const paramsOf = (service: string, stage: string): Record<string, unknown> => {
  const { params } = parse(readFileSync(join(ROOT_DIR, 'services', service, 'serverless.yml'), 'utf8')) as {
    params: Record<string, Record<string, unknown>>
  }
  return { ...params.default, ...params[stage] }
}

const templates = new Map<string, CfnTemplate>()
beforeAll(async () => {
  for (const stage of STAGES)
    for (const service of SERVICES) templates.set(`${service}/${stage}`, await loadTemplate(service, stage))
}, 900_000)

const cases = STAGES.flatMap((stage) => SERVICES.map((service) => ({ service, stage })))

describe.each(cases)('$service ($stage): per-user usage plans', ({ service, stage }) => {
  const resources = () => templates.get(`${service}/${stage}`)?.Resources as Record<string, Resource>
  const ofType = (type: string) => Object.entries(resources()).filter(([, r]) => r.Type === type)
  const statementsOf = (functionId: string): Statement[] => {
    const fn = resources()[functionId] as Resource
    const role = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]
    const { Policies } = (resources()[role] as Resource).Properties as {
      Policies: { PolicyDocument: { Statement: Statement[] } }[]
    }
    return Policies.flatMap((policy) => policy.PolicyDocument.Statement)
  }
  const params = () => paramsOf(service, stage)

  it('takes API keys from the authorizer', () => {
    const [[, api]] = ofType('AWS::ApiGateway::RestApi') as [[string, Resource]]
    expect(api.Properties.ApiKeySourceType).toBe('AUTHORIZER')
  })

  it("has a per-user and a newcomer plan on this stage of the API, with the stage's params", () => {
    for (const [id, prefix] of [
      ['ApiGatewayUsagePlanPerUser', 'user'],
      ['ApiGatewayUsagePlanNewcomer', 'newcomer'],
    ] as const) {
      const plan = resources()[id]
      expect(plan?.Type, id).toBe('AWS::ApiGateway::UsagePlan')
      expect(plan?.Properties.ApiStages).toEqual([{ ApiId: { Ref: 'ApiGatewayRestApi' }, Stage: stage }])
      expect(plan?.Properties.Throttle).toEqual({
        RateLimit: params()[`${prefix}RateLimit`],
        BurstLimit: params()[`${prefix}BurstLimit`],
      })
      expect(plan?.Properties.Quota).toEqual({
        Limit: params()[`${prefix}QuotaLimit`],
        Period: params()[`${prefix}QuotaPeriod`],
      })
    }
    expect(ofType('AWS::ApiGateway::UsagePlan')).toHaveLength(2)
  })

  it('makes every authorized method private, and only those (the plans apply where a key is named)', () => {
    const methods = ofType('AWS::ApiGateway::Method').map(([, m]) => m.Properties)
    const authorized = methods.filter((m) => m.AuthorizationType === 'CUSTOM')
    expect(authorized.length).toBeGreaterThan(0)
    for (const method of authorized)
      expect(method.ApiKeyRequired, JSON.stringify(method.ResourceId)).toBe(true)
    for (const method of methods.filter((m) => m.AuthorizationType !== 'CUSTOM'))
      expect(method.ApiKeyRequired ?? false).toBe(false)
  })

  it('puts the newcomer key the authorizer names in the newcomer plan', () => {
    const [[keyId, key]] = ofType('AWS::ApiGateway::ApiKey') as [[string, Resource]]
    const value = key.Properties.Value
    expect(value).toMatch(/^[A-Za-z0-9]{20,128}$/)
    const authorizer = resources().AuthorizerLambdaFunction?.Properties as {
      Environment: { Variables: Record<string, unknown> }
    }
    expect(authorizer.Environment.Variables.NEWCOMER_USAGE_KEY).toBe(value)
    expect(authorizer.Environment.Variables.USAGE_PLANS_ENFORCED).toBe('true')
    expect(ofType('AWS::ApiGateway::UsagePlanKey').map(([, k]) => k.Properties)).toEqual([
      { KeyId: { Ref: keyId }, KeyType: 'API_KEY', UsagePlanId: { Ref: 'ApiGatewayUsagePlanNewcomer' } },
    ])
  })

  it('lets the authorizer read markers and ask for keys, and nothing of API Gateway', () => {
    const own = statementsOf('AuthorizerLambdaFunction').filter(
      (s) => ![s.Action].flat().some((action) => /^(logs|xray):/.test(action)),
    )
    expect(own).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem'],
        Resource: { 'Fn::GetAtt': ['UsageKeysTable', 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage'],
        Resource: { 'Fn::GetAtt': ['UsageKeyRequestsQueue', 'Arn'] },
      },
    ])
  })

  it("scopes the provisioner's role to API keys and its own per-user plan, at most two batches at a time", () => {
    const fn = resources().ProvisionUsageKeysLambdaFunction?.Properties as Record<string, unknown> & {
      Environment: { Variables: Record<string, unknown> }
    }
    // Two instances at most, never throttled by their own reservation (throttled SQS messages head for the DLQ).
    expect(fn.ReservedConcurrentExecutions).toBe(2)
    expect(fn.Environment.Variables.USAGE_PLAN_ID).toEqual({ Ref: 'ApiGatewayUsagePlanPerUser' })
    const apigateway = statementsOf('ProvisionUsageKeysLambdaFunction').filter((s) =>
      [s.Action].flat().some((action) => action.startsWith('apigateway:')),
    )
    expect(apigateway).toEqual([
      {
        Effect: 'Allow',
        Action: ['apigateway:POST', 'apigateway:GET'],
        Resource: { 'Fn::Sub': ['arn:${AWS::Partition}:apigateway:${AWS::Region}::/apikeys', {}] },
      },
      {
        Effect: 'Allow',
        Action: ['apigateway:POST'],
        Resource: {
          'Fn::Sub': [
            'arn:${AWS::Partition}:apigateway:${AWS::Region}::/usageplans/${PlanId}/keys',
            { PlanId: { Ref: 'ApiGatewayUsagePlanPerUser' } },
          ],
        },
      },
    ])
    const mapping = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) =>
      // prod maps the `live` alias (serverless-ops), other stages the function.
      /"ProvisionUsageKeys(LambdaFunction|LiveAlias)"/.test(JSON.stringify(m.Properties.FunctionName)),
    )
    expect(mapping?.[1].Properties).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['UsageKeyRequestsQueue', 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    })
  })
})
