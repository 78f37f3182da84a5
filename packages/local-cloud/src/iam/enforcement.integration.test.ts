/**
 * IAM enforcement end to end on a fixture service (__fixtures__/iam): its functions run under
 * serverless-offline and through the wiring (`cloud.lambda`), each with its own role from the
 * packaged template. What a role grants works; what it lacks is the AccessDeniedException AWS
 * would answer; presigned URLs hold exactly what they signed; the report names the missing grant
 * and the grant never used. (Its own cloud: the run's shared one has no fixture service.)
 */

import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningLocalCloud, startLocalCloud } from '../cloud'

let cloud: RunningLocalCloud
const api = () => `${cloud.offline['fixture-iam']!.url}/local`

beforeAll(async () => {
  cloud = await startLocalCloud({
    ports: 'auto',
    iam: 'enforce',
    services: [
      {
        name: 'fixture-iam',
        dir: join(import.meta.dirname, '..', '__fixtures__', 'iam'),
        local: { name: 'fixture-iam', offline: { httpPort: 0, lambdaPort: 0 } },
      },
    ],
  })
}, 240_000)
afterAll(async () => {
  await cloud?.stop()
})

const get = async (path: string) => {
  const response = await fetch(`${api()}${path}`)
  return { status: response.status, body: (await response.json()) as Record<string, string> }
}

describe('local IAM in enforce mode', () => {
  it('lets a function do what its role grants (serverless-offline)', async () => {
    expect(await get('/writer?id=w1')).toEqual({ status: 200, body: { id: 'w1' } })
  })

  it('refuses what the role lacks with the error AWS gives, naming role session, action and table', async () => {
    const { status, body } = await get('/reader?id=r1')
    expect(status).toBe(500)
    expect(body.name).toBe('AccessDeniedException')
    expect(body.message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/fixture-iam-local-reader-us-east-1-lambdaRole/fixture-iam-local-reader ' +
        'is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/fixture-iam-local-items ' +
        'because no identity-based policy allows the dynamodb:PutItem action',
    )
  })

  it('checks a wired function against its own role too', async () => {
    const reader = cloud.lambda('fixture-iam', 'reader')
    const writer = cloud.lambda('fixture-iam', 'writer')
    expect(
      JSON.parse(((await writer.invoke({ queryStringParameters: { id: 'w2' } })) as { body: string }).body),
    ).toEqual({
      id: 'w2',
    })
    const denied = JSON.parse(
      ((await reader.invoke({ queryStringParameters: { id: 'r2' } })) as { body: string }).body,
    )
    expect(denied.name).toBe('AccessDeniedException')
  })

  describe('presigned uploads', () => {
    const signed = async (query = '') => (await get(`/signer${query}`)).body.url!
    const put = (url: string, body: string, contentType = 'text/plain') =>
      fetch(url, { method: 'PUT', headers: { 'content-type': contentType }, body })

    it('accept exactly the signed upload', async () => {
      expect((await put(await signed('?key=uploads/ok.txt'), 'hello')).status).toBe(200)
    })

    it('refuse another content type, more bytes than signed, another key and an expired URL (403)', async () => {
      const url = await signed('?key=uploads/a.txt')
      const other = new URL(url)
      other.pathname = other.pathname.replace('/uploads/a.txt', '/uploads/b.txt')
      const expired = await signed('?key=uploads/late.txt&expires=1')
      await new Promise((resolve) => setTimeout(resolve, 2_100))
      for (const [what, response] of [
        ['content type', await put(url, 'hello', 'text/html')],
        ['length', await put(url, `hello${' '.repeat(1000)}`)],
        ['key', await put(other.toString(), 'hello')],
        ['expiry', await put(expired, 'hello')],
      ] as const) {
        expect(response.status, `${what}: ${await response.clone().text()}`).toBe(403)
        expect(await response.text()).toMatch(/<Code>(SignatureDoesNotMatch|AccessDenied)<\/Code>/)
      }
    })

    it('carry only the signing role’s authority: outside uploads/ is AccessDenied', async () => {
      const response = await put(await signed('?key=private/x.txt'), 'hello')
      expect(response.status).toBe(403)
      expect(await response.text()).toContain('<Code>AccessDenied</Code>')
    })
  })

  describe('CloudFront invalidations', () => {
    it('go through for the template’s distribution, whose local id the function’s environment names', async () => {
      const { status, body } = await get('/invalidator')
      expect(status, JSON.stringify(body)).toBe(200)
      expect(body).toMatchObject({
        status: 'Completed',
        distributionId: expect.stringMatching(/^E[A-Z0-9]{13}$/),
      })
    })

    it('are AccessDenied for another distribution, naming role session, action and its ARN', async () => {
      const { status, body } = await get('/invalidator?distribution=EOTHERDISTRIB1')
      expect(status).toBe(500)
      expect(body.name).toBe('AccessDenied')
      expect(body.message).toContain(
        'is not authorized to perform: cloudfront:CreateInvalidation on resource: arn:aws:cloudfront::000000000000:distribution/EOTHERDISTRIB1',
      )
    })
  })

  it('reports the missing grant and the grant never used', () => {
    const report = cloud.iamReport()!
    const fn = (name: string) => report.functions.find((f) => f.functionName === `fixture-iam-local-${name}`)!
    expect(fn('reader').missing).toEqual([
      expect.objectContaining({
        action: 'dynamodb:PutItem',
        resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/fixture-iam-local-items',
      }),
    ])
    // Counted once, as a missing grant, not again as a refusal before evaluation.
    expect(fn('reader').refusals).toEqual([])
    expect(fn('writer').missing).toEqual([])
    expect(fn('writer').unusedStatements).toEqual([
      expect.objectContaining({ actions: ['dynamodb:DeleteItem'] }),
    ])
  })
})
