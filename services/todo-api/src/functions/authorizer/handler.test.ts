import { loadWithEnv, startTokenIssuer, tokenAuthorizerEvent } from '@app/runtime/testing'
import { afterAll, describe, expect, it } from 'vitest'

const pool = await startTokenIssuer()
afterAll(pool.close)
const { handler } = await loadWithEnv(() => import('./handler'), pool.env)

describe('authorizer handler', () => {
  it('lets a token of the configured pool and client through as its user', async () => {
    const result = await handler(tokenAuthorizerEvent(`Bearer ${await pool.token('user-1', [])}`))
    expect(result.principalId).toBe('user-1')
    expect(result.context).toEqual({ sub: 'user-1', username: 'user-1', groups: '[]' })
  })

  it('answers Unauthorized for a token of another client', async () => {
    const token = await pool.token('user-1', [], { client_id: 'another-client' })
    await expect(handler(tokenAuthorizerEvent(`Bearer ${token}`))).rejects.toThrow('Unauthorized')
  })
})
