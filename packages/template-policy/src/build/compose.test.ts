import { describe, expect, it } from 'vitest'
import { deployWaves, parseCompose, referencesIn, resolveParams } from './compose'

const compose = parseCompose(`
services:
  mailer:
    path: services/mailer
    params:
      streamArn: \${site.SubscribersStreamArn}
      sender: no-reply@example.com
  site:
    path: services/site
    params:
      userPoolId: \${api.UserPoolId}
  api:
    path: services/api
  flows:
    path: services/flows
    dependsOn: [api]
`)

describe('compose', () => {
  it('reads references the way @osls/compose does, hyphenated service names included', () => {
    expect(referencesIn('${todo-api.UserPoolId}')).toEqual([{ service: 'todo-api', output: 'UserPoolId' }])
    expect(referencesIn('arn:${a.X}/${b-c.Y}')).toEqual([
      { service: 'a', output: 'X' },
      { service: 'b-c', output: 'Y' },
    ])
  })

  it('orders services in waves that only depend on earlier waves', () => {
    expect(deployWaves(compose)).toEqual([['api'], ['flows', 'site'], ['mailer']])
  })

  it('rejects cycles and unknown services', () => {
    const cyclic = parseCompose(
      'services:\n  a: { path: a, params: { x: "${b.X}" } }\n  b: { path: b, params: { y: "${a.Y}" } }\n',
    )
    expect(() => deployWaves(cyclic)).toThrow(/cycle/)
    const unknown = parseCompose('services:\n  a: { path: a, dependsOn: ghost }\n')
    expect(() => deployWaves(unknown)).toThrow(/unknown ghost/)
  })

  it('resolves params from outputs and names the missing output', () => {
    const mailer = compose.find((service) => service.name === 'mailer')!
    expect(resolveParams(mailer, { site: { SubscribersStreamArn: 'arn:x' } })).toEqual({
      streamArn: 'arn:x',
      sender: 'no-reply@example.com',
    })
    expect(() => resolveParams(mailer, { site: {} })).toThrow(/SubscribersStreamArn/)
  })
})
