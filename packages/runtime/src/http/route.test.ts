import { ConflictError, NotFoundError, QuotaExceededError } from '@app/domain'
import type { APIGatewayProxyEvent } from 'aws-lambda'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { lambdaContext, restEvent } from '../testing'
import { httpRoute } from './route'

const event = (overrides: Partial<APIGatewayProxyEvent> & { sub?: string } = {}): APIGatewayProxyEvent => {
  const { sub, ...rest } = overrides
  return {
    ...restEvent({
      method: 'POST',
      path: '/things',
      authorizer: sub ? { sub, username: 'u', groups: '["a,b","c"]' } : null,
    }),
    ...rest,
  }
}
const call = async (handler: ReturnType<typeof httpRoute>, input: APIGatewayProxyEvent) => {
  const response = await handler(input, lambdaContext('fn'))
  return { ...response, json: response.body ? JSON.parse(response.body) : undefined }
}

describe('httpRoute', () => {
  const echo = httpRoute(
    { auth: true, maxBodyBytes: 100, schemas: { body: z.strictObject({ name: z.string().min(1) }) } },
    async ({ body, principal, headers }) => ({
      status: 201,
      body: { ...body, sub: principal.sub, groups: principal.groups, h: headers['x-test'] },
    }),
  )
  const json = { 'Content-Type': 'application/json; charset=utf-8', 'X-Test': 'yes' }

  it('hands validated input, the principal and lower-cased headers to the handler', async () => {
    const response = await call(echo, event({ sub: 's1', headers: json, body: '{"name":"n"}' }))
    expect(response.statusCode).toBe(201)
    expect(response.json).toEqual({ name: 'n', sub: 's1', groups: ['a,b', 'c'], h: 'yes' })
  })

  it.each(['a,b', '', '"a"', '[1]', '{}'])(
    'answers 401 when the authorizer context carries groups %j (not a JSON list of strings)',
    async (groups) => {
      const input = event({ headers: json, body: '{"name":"n"}' })
      input.requestContext.authorizer = { sub: 's1', username: 'u', groups }
      expect((await call(echo, input)).statusCode).toBe(401)
    },
  )

  it('decodes base64 bodies', async () => {
    const body = Buffer.from('{"name":"b64"}').toString('base64')
    expect(
      (await call(echo, event({ sub: 's1', headers: json, body, isBase64Encoded: true }))).json.name,
    ).toBe('b64')
  })

  it.each([
    ['no principal', event({ headers: json, body: '{"name":"n"}' }), 401],
    ['too large', event({ sub: 's1', headers: json, body: JSON.stringify({ name: 'x'.repeat(200) }) }), 413],
    ['not JSON', event({ sub: 's1', headers: { 'content-type': 'text/plain' }, body: 'name=n' }), 415],
    ['malformed JSON', event({ sub: 's1', headers: json, body: '{"name":' }), 400],
    ['schema violation', event({ sub: 's1', headers: json, body: '{"name":""}' }), 400],
    ['unknown field', event({ sub: 's1', headers: json, body: '{"name":"n","x":1}' }), 400],
  ])('answers %s with a problem document', async (_case, input, status) => {
    const response = await call(echo, input)
    expect(response.statusCode).toBe(status)
    expect(response.headers?.['content-type']).toBe('application/problem+json')
    expect(response.json).toMatchObject({
      status,
      type: expect.stringMatching(/^\/problems\//),
      instance: '/things',
    })
  })

  it('points at the offending field', async () => {
    const response = await call(echo, event({ sub: 's1', headers: json, body: '{"name":""}' }))
    expect(response.json.errors).toEqual([{ pointer: '/body/name', detail: expect.any(String) }])
  })

  it('refuses a body on a route that takes none', async () => {
    const noBody = httpRoute({ auth: false }, async () => ({ status: 204 }))
    expect((await call(noBody, event({ headers: json, body: '{}' }))).statusCode).toBe(400)
    expect((await call(noBody, event())).statusCode).toBe(204)
  })

  it('maps domain errors to their status and hides everything else behind a generic 500', async () => {
    const failing = (error: Error) => httpRoute({ auth: false }, async () => Promise.reject(error))
    expect((await call(failing(new NotFoundError('No such thing')), event())).json).toMatchObject({
      status: 404,
      detail: 'No such thing',
    })
    expect((await call(failing(new ConflictError('busy')), event())).statusCode).toBe(409)
    const internal = await call(failing(new Error('password=hunter2 at db.internal:5432')), event())
    expect(internal.statusCode).toBe(500)
    expect(internal.body).not.toContain('hunter2')
    expect(internal.body).not.toContain('db.internal')
  })

  it('answers a used-up quota with 429 and Retry-After, the problem saying when it renews', async () => {
    const refused = httpRoute({ auth: false }, async () =>
      Promise.reject(new QuotaExceededError('The daily quota of 3 jobs is used up', 3600)),
    )
    const response = await call(refused, event())
    expect(response.statusCode).toBe(429)
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json',
      'retry-after': '3600',
    })
    expect(response.json).toEqual({
      type: '/problems/quota-exceeded',
      title: 'Too Many Requests',
      status: 429,
      detail: 'The daily quota of 3 jobs is used up',
      instance: '/things',
    })
    // Other problems carry no Retry-After.
    const missing = httpRoute({ auth: false }, async () => Promise.reject(new NotFoundError('x')))
    expect((await call(missing, event())).headers).not.toHaveProperty('retry-after')
  })

  it('adds a strong ETag and Cache-Control to cacheable results and answers a match with 304', async () => {
    const get = httpRoute({ auth: false }, async () => ({
      status: 200,
      body: { a: 1 },
      cacheControl: 'private, no-cache',
    }))
    const first = await call(get, event({ httpMethod: 'GET' }))
    expect(first.headers).toMatchObject({ 'cache-control': 'private, no-cache', vary: 'Authorization' })
    const etag = String(first.headers?.etag)
    const second = await call(get, event({ httpMethod: 'GET', headers: { 'If-None-Match': etag } }))
    expect(second.statusCode).toBe(304)
    expect(second.body).toBe('')
    expect(
      (await call(get, event({ httpMethod: 'GET', headers: { 'if-none-match': '"stale"' } }))).statusCode,
    ).toBe(200)
  })

  describe('behind a CDN (origin secret header)', () => {
    let ran = 0
    const behindCdn = httpRoute(
      {
        auth: true,
        schemas: { body: z.strictObject({ name: z.string() }) },
        origin: { header: 'x-origin-verify', values: ['current-value', 'next-value'] },
      },
      async () => {
        ran += 1
        return { status: 200, body: { ok: true } }
      },
    )

    it.each([
      ['no header', {}],
      ['a wrong value', { 'X-Origin-Verify': 'guess' }],
      ['an accepted value with a suffix', { 'X-Origin-Verify': 'current-value2' }],
      ['an empty value', { 'X-Origin-Verify': '' }],
    ])('answers %s with a 403 problem before auth, body or handler', async (_, headers) => {
      ran = 0
      // No principal and a malformed body: the origin check comes first, so neither 401 nor 400.
      const response = await call(behindCdn, event({ headers: { ...json, ...headers }, body: '{' }))
      expect(response.statusCode).toBe(403)
      expect(response.headers?.['content-type']).toBe('application/problem+json')
      expect(response.json).toMatchObject({ type: '/problems/forbidden', status: 403 })
      expect(ran).toBe(0)
    })

    it.each(['current-value', 'next-value'])('lets a request carrying %s through', async (value) => {
      const response = await call(
        behindCdn,
        event({ sub: 's1', headers: { ...json, 'X-Origin-Verify': value }, body: '{"name":"n"}' }),
      )
      expect(response.statusCode).toBe(200)
    })
  })
})
