// biome-ignore-all lint/suspicious/noTemplateCurlyInString: compose syntax, not JS templates
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { composeOrder, deployWaves, parseCompose, readCompose, referencesIn, resolveParams } from './compose'

const compose = parseCompose(`
services:
  welcome-mailer:
    path: services/welcome-mailer
    params:
      subscribersStreamArn: \${blog-site.SubscribersStreamArn}
      sender: no-reply-\${sls:stage}@example.com
  blog-site:
    path: services/blog-site
    params:
      userPoolId: \${todo-api.UserPoolId}
      issuer: https://\${todo-api.UserPoolProviderUrl}/x
  todo-api:
    path: services/todo-api
  workflows:
    path: services/workflows
    dependsOn: todo-api
`)
const named = (name: string) => compose.find((service) => service.name === name)!

describe('serverless-compose.yml', () => {
  it('reads ${service.Output} references the way @osls/compose does, hyphenated names included', () => {
    expect(referencesIn('${todo-api.UserPoolId}')).toEqual([{ service: 'todo-api', output: 'UserPoolId' }])
    expect(referencesIn('arn:${a.X}/${b-c.Y}/${sls:stage}')).toEqual([
      { service: 'a', output: 'X' },
      { service: 'b-c', output: 'Y' },
    ])
  })

  it('takes every upstream as a dependency: referenced outputs and explicit dependsOn', () => {
    expect(named('welcome-mailer').dependsOn).toEqual(['blog-site'])
    expect(named('blog-site').dependsOn).toEqual(['todo-api'])
    expect(named('workflows').dependsOn).toEqual(['todo-api'])
  })

  it('orders services after the ones whose outputs they read, one by one and in waves', () => {
    expect(composeOrder(compose).map((service) => service.name)).toEqual([
      'todo-api',
      'blog-site',
      'welcome-mailer',
      'workflows',
    ])
    expect(deployWaves(compose)).toEqual([['todo-api'], ['blog-site', 'workflows'], ['welcome-mailer']])
  })

  it('replaces ${service.Output} in params with outputs, leaving compose variables to compose', () => {
    expect(
      resolveParams(named('blog-site'), {
        'todo-api': { UserPoolId: 'local_1', UserPoolProviderUrl: '127.0.0.1:9229/local_1' },
      }),
    ).toEqual({ userPoolId: 'local_1', issuer: 'https://127.0.0.1:9229/local_1/x' })
    expect(
      resolveParams(named('welcome-mailer'), { 'blog-site': { SubscribersStreamArn: 'arn:x' } }),
    ).toEqual({
      subscribersStreamArn: 'arn:x',
      sender: 'no-reply-${sls:stage}@example.com',
    })
  })

  it('names the service, param and output when an output has no value', () => {
    expect(() => resolveParams(named('welcome-mailer'), { 'blog-site': {} })).toThrow(
      'welcome-mailer: param subscribersStreamArn needs output SubscribersStreamArn of blog-site',
    )
  })

  it('refuses cycles and unknown dependencies', () => {
    const cyclic = parseCompose(
      'services:\n  a: { path: a, params: { x: "${b.X}" } }\n  b: { path: b, dependsOn: a }\n',
    )
    expect(() => composeOrder(cyclic)).toThrow('cycle')
    expect(() => deployWaves(cyclic)).toThrow('cycle')
    const unknown = parseCompose('services:\n  a: { path: a, dependsOn: nope }')
    expect(() => composeOrder(unknown)).toThrow('unknown service nope')
    expect(() => deployWaves(unknown)).toThrow('unknown service nope')
    expect(() => parseCompose('services:\n  a: { params: {} }')).toThrow('"a" has no path')
  })

  it('reads no services where there is no serverless-compose.yml', () => {
    expect(readCompose(mkdtempSync(join(tmpdir(), 'compose-')))).toEqual([])
  })
})
