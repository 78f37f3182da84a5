import { describe, expect, it } from 'vitest'
import { composeOrder, parseCompose, resolveComposeParams } from './compose'

const compose = parseCompose(`
services:
  welcome-mailer:
    path: services/welcome-mailer
    params:
      subscribersStreamArn: \${blog-site.SubscribersStreamArn}
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

describe('serverless-compose.yml', () => {
  it('orders services so every service comes after the ones whose outputs it reads', () => {
    expect(composeOrder(compose).map((service) => service.name)).toEqual([
      'todo-api',
      'blog-site',
      'welcome-mailer',
      'workflows',
    ])
  })

  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation/compose syntax, not a JS template
  it('replaces ${service.Output} in params with local outputs', () => {
    const blog = compose.find((service) => service.name === 'blog-site')!
    expect(
      resolveComposeParams(blog, {
        'todo-api': { UserPoolId: 'local_1', UserPoolProviderUrl: '127.0.0.1:9229/local_1' },
      }),
    ).toEqual({ userPoolId: 'local_1', issuer: 'https://127.0.0.1:9229/local_1/x' })
  })

  it('names the service and output when an output has no local value', () => {
    const mailer = compose.find((service) => service.name === 'welcome-mailer')!
    expect(() => resolveComposeParams(mailer, { 'blog-site': {} })).toThrow(
      'welcome-mailer: param subscribersStreamArn needs output SubscribersStreamArn of blog-site',
    )
  })

  it('refuses cycles and unknown dependencies', () => {
    expect(() =>
      composeOrder(parseCompose('services:\n  a: { path: a, dependsOn: b }\n  b: { path: b, dependsOn: a }')),
    ).toThrow('cycle')
    expect(() => composeOrder(parseCompose('services:\n  a: { path: a, dependsOn: nope }'))).toThrow(
      'unknown service nope',
    )
  })
})
