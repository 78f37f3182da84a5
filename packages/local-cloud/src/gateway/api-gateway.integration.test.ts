/**
 * The local API Gateway in front of every HTTP service (todo-api, blog-site, workflows), through the
 * endpoints clients use: serverless-offline's override headers never reach a function (no caller
 * can become another user or join a group), and the gateway's own errors are the services'
 * GatewayResponse problem documents, also through the blog's local edge (CloudFront stand-in).
 */
import { describe, expect, it } from 'vitest'
import { localCloud, signUpAndSignIn, type TestUser } from '../testing'

const cloud = localCloud()
// Each endpoint as `.local/endpoints.json` gives it (workflowsApi already ends in /workflows).
const apis = [
  { key: 'todoApi', protectedRoute: { method: 'GET', path: '/todos' } },
  { key: 'blogApi', protectedRoute: { method: 'POST', path: '/api/posts' } },
  { key: 'workflowsApi', protectedRoute: { method: 'GET', path: '/executions/unknown' } },
] as const

const call = (url: string, method: string, headers: Record<string, string> = {}) =>
  fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' ? {} : { body: '{}' }),
  })

const expectProblem = async (response: Response, status: number) => {
  expect(response.status, await response.clone().text()).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const body = (await response.json()) as { status?: number; title?: string }
  // Never serverless-offline's hapi body ({statusCode, error, message}).
  expect(body).not.toHaveProperty('statusCode')
  return body
}

describe('the local API Gateway', () => {
  let alice: TestUser
  let bob: TestUser
  it('signs up two users', async () => {
    ;[alice, bob] = await Promise.all([signUpAndSignIn(cloud, 'gw-a'), signUpAndSignIn(cloud, 'gw-b')])
  })

  for (const { key, protectedRoute } of apis) {
    describe(key, () => {
      const base = () => {
        const url = cloud.endpoints[key]
        if (typeof url !== 'string') throw new Error(`no ${key} in the endpoints`)
        return url
      }

      it('refuses serverless-offline authorizer overrides with 401, even beside a valid token', async () => {
        for (const override of [{ sub: alice.sub }, { sub: bob.sub, groups: '["authors"]' }]) {
          const response = await call(`${base()}${protectedRoute.path}`, protectedRoute.method, {
            authorization: `Bearer ${bob.accessToken}`,
            'sls-offline-authorizer-override': JSON.stringify(override),
          })
          const body = await expectProblem(response, 401)
          expect(body.status).toBe(401)
        }
      })

      it('answers a missing token with the UNAUTHORIZED gateway response', async () => {
        const response = await call(`${base()}${protectedRoute.path}`, protectedRoute.method)
        expect((await expectProblem(response, 401)).title).toBe('Unauthorized')
        expect(response.headers.get('www-authenticate')).toBe('Bearer')
      })

      it('answers a path no resource matches as API Gateway does (403 Missing Authentication Token)', async () => {
        const response = await call(`${base()}/no-such-resource`, 'GET')
        expect(response.status).toBe(403)
        expect(await response.text()).toContain('Missing Authentication Token')
      })
    })
  }

  it("keeps Bob's own token working (the override, not the caller, is refused)", async () => {
    const response = await call(`${String(cloud.endpoints.todoApi)}/todos`, 'GET', {
      authorization: `Bearer ${bob.accessToken}`,
    })
    expect(response.status).toBe(200)
  })

  it('refuses overrides through the blog edge too', async () => {
    const response = await call(`${String(cloud.endpoints.blogSite)}/api/posts`, 'POST', {
      authorization: `Bearer ${bob.accessToken}`,
      'sls-offline-authorizer-override': JSON.stringify({ sub: bob.sub, groups: '["authors"]' }),
    })
    await expectProblem(response, 401)
  })
})
