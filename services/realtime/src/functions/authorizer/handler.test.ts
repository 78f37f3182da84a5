import { captureLogs, loadWithEnv, startTokenIssuer } from '@app/runtime/testing'
import { afterAll, describe, expect, it } from 'vitest'

const pool = await startTokenIssuer()
afterAll(pool.close)
const { handler } = await loadWithEnv(() => import('./handler'), pool.env)

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:api-id/test/$connect'
const connect = (token?: string) =>
  handler({ methodArn, ...(token === undefined ? {} : { queryStringParameters: { token } }) })

describe('authorizer handler ($connect, ?token=)', () => {
  it('lets an access token of the configured pool and client connect as its user, with the user in the context', async () => {
    const result = await connect(await pool.token('user-1'))
    expect(result.principalId).toBe('user-1')
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn },
    ])
    expect(result.context).toMatchObject({ sub: 'user-1' })
  })

  it.each([
    ['no token', async () => undefined],
    ['a token of another client', () => pool.token('user-1', [], { client_id: 'another-client' })],
    ['an expired token', () => pool.token('user-1', [], { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['an id token', () => pool.token('user-1', [], { token_use: 'id' })],
    ['garbage', async () => 'not.a.jwt'],
  ])('denies %s, and never logs the token', async (_case, token) => {
    const value = await token()
    let result: Awaited<ReturnType<typeof connect>> | undefined
    const logs = await captureLogs(async () => {
      result = await connect(value)
    })
    expect(result?.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' })
    expect(result?.context).toBeUndefined()
    if (value) expect(logs).not.toContain(value)
  })
})
