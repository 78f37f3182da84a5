// biome-ignore-all lint/suspicious/noExplicitAny: CloudFormation JSON is untyped; the assertions give it shape
/**
 * The subscribe route's rate limit (serverless/waf.yml) per stage, from `sls print` (params
 * resolved, offline): with `wafEnabled` on (prod, or any stage given the param) a CLOUDFRONT web ACL
 * whose one rule limits POST /api/subscribers per client IP and answers 429, attached to the
 * distribution; with it off (dev) no web ACL exists and the distribution has none. Conditions are
 * evaluated with the repo's one CloudFormation evaluator, as CloudFormation would.
 */
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { evaluate, type IntrinsicContext, isCreated } from '@app/cloudformation'
import { beforeAll, describe, expect, it } from 'vitest'

const serviceDir = join(import.meta.dirname, '..')
const require = createRequire(import.meta.url)

type Resource = { Type: string; Condition?: string; Properties: Record<string, any> }
interface Stack {
  resources: Record<string, Resource>
  context: IntrinsicContext
}

const print = (stage: string, params: Record<string, string> = {}): Stack => {
  const args = ['print', '--stage', stage, '--format', 'json']
  const all = { userPoolId: 'us-east-1_WAFTEST', userPoolClientId: 'wafclient', ...params }
  for (const [name, value] of Object.entries(all)) args.push('--param', `${name}=${value}`)
  const printed = JSON.parse(
    execFileSync(process.execPath, [require.resolve('serverless/bin/serverless.js'), ...args], {
      cwd: serviceDir,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString(),
  )
  const parts = [printed.resources].flat() as { Resources?: object; Conditions?: object }[]
  return {
    resources: Object.assign({}, ...parts.map((part) => part.Resources ?? {})),
    context: {
      region: 'us-east-1',
      accountId: '123456789012',
      conditions: Object.assign({}, ...parts.map((part) => part.Conditions ?? {})),
      getAtt: (id, attribute) => `<${id}.${attribute}>`,
      ref: (id) => `<${id}>`,
    },
  }
}

let dev: Stack
let prod: Stack
let devWithWaf: Stack

beforeAll(() => {
  dev = print('dev')
  prod = print('prod')
  devWithWaf = print('dev', { wafEnabled: 'true' })
}, 180_000)

const webAcls = ({ resources, context }: Stack) =>
  Object.values(resources).filter((r) => r.Type === 'AWS::WAFv2::WebACL' && isCreated(r, context))
const distributionWebAcl = ({ resources, context }: Stack) =>
  (evaluate(resources.SiteDistribution!.Properties, context) as any).DistributionConfig.WebACLId

describe('the subscribe rate limit', () => {
  it('is off in dev: no web ACL, none on the distribution (no monthly WAF charge)', () => {
    expect(webAcls(dev)).toEqual([])
    expect(distributionWebAcl(dev)).toBeUndefined()
  })

  it('is on in prod, and in any stage that sets wafEnabled', () => {
    for (const stack of [prod, devWithWaf]) {
      expect(webAcls(stack)).toHaveLength(1)
      expect(distributionWebAcl(stack)).toBe('<SiteWebAcl.Arn>')
    }
  })

  it('limits POST /api/subscribers per client IP with a CLOUDFRONT web ACL, answering 429 with Retry-After', () => {
    const [acl] = webAcls(prod)
    const properties = evaluate(acl!.Properties, prod.context) as any
    expect(properties.Scope).toBe('CLOUDFRONT')
    expect(properties.DefaultAction).toEqual({ Allow: {} })
    expect(properties.Rules).toHaveLength(1)
    const [rule] = properties.Rules
    expect(rule.Action.Block.CustomResponse.ResponseCode).toBe(429)
    // The whole window (an upper bound of the block); CloudFormation takes the number as the string.
    const headers = rule.Action.Block.CustomResponse.ResponseHeaders
    expect(headers.map((h: any) => [h.Name, String(h.Value)])).toEqual([
      ['Retry-After', String(rule.Statement.RateBasedStatement.EvaluationWindowSec)],
    ])
    const body = properties.CustomResponseBodies[rule.Action.Block.CustomResponse.CustomResponseBodyKey]
    expect(JSON.parse(body.Content)).toMatchObject({ status: 429, title: 'Too Many Requests' })
    const rate = rule.Statement.RateBasedStatement
    expect(rate.AggregateKeyType).toBe('IP')
    expect(Number(rate.Limit)).toBeGreaterThanOrEqual(10)
    expect([60, 120, 300, 600]).toContain(Number(rate.EvaluationWindowSec))
    const matches = rate.ScopeDownStatement.AndStatement.Statements.map((s: any) => s.ByteMatchStatement)
    expect(matches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          FieldToMatch: { Method: {} },
          PositionalConstraint: 'EXACTLY',
          SearchString: 'POST',
        }),
        expect.objectContaining({
          FieldToMatch: { UriPath: {} },
          PositionalConstraint: 'EXACTLY',
          SearchString: '/api/subscribers',
        }),
      ]),
    )
  })
})
