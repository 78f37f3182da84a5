import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda'
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  bearerToken,
  createCognitoVerifier,
  createTokenAuthorizer,
  decodeGroups,
  type TokenVerifier,
} from './index'

const issuer = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TEST'
const clientId = 'client-123'
const env = { COGNITO_ISSUER: issuer, COGNITO_CLIENT_IDS: [clientId, 'client-456'] }

let poolKey: CryptoKey
let otherKey: CryptoKey
let verify: TokenVerifier

beforeAll(async () => {
  const pool = await generateKeyPair('RS256', { extractable: true })
  const other = await generateKeyPair('RS256')
  poolKey = pool.privateKey
  otherKey = other.privateKey
  const jwk = { ...(await exportJWK(pool.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' }
  verify = createCognitoVerifier(env, { jwks: createLocalJWKSet({ keys: [jwk] }) })
})

const now = () => Math.floor(Date.now() / 1000)
/** A Cognito access token as AWS (and cognito-local) issue it, with `overrides` applied. */
const accessToken = (overrides: JWTPayload = {}, key: CryptoKey = poolKey, kid = 'pool-key') =>
  new SignJWT({
    sub: 'user-sub-1',
    token_use: 'access',
    client_id: clientId,
    username: 'alice',
    'cognito:groups': ['authors'],
    scope: 'aws.cognito.signin.user.admin',
    iss: issuer,
    iat: now(),
    exp: now() + 3600,
    ...overrides,
  })
    .setProtectedHeader({ alg: 'RS256', kid })
    .sign(key)

describe('createCognitoVerifier', () => {
  it('accepts a valid access token and returns the user', async () => {
    expect(await verify(await accessToken())).toEqual({
      sub: 'user-sub-1',
      username: 'alice',
      groups: ['authors'],
    })
  })

  it('accepts every configured client', async () => {
    expect((await verify(await accessToken({ client_id: 'client-456' }))).sub).toBe('user-sub-1')
  })

  it.each([
    ['signed with a different key', () => accessToken({}, otherKey)],
    ['signed with a different key claiming the pool key id', () => accessToken({}, otherKey, 'pool-key')],
    ['expired', () => accessToken({ iat: now() - 7200, exp: now() - 60 })],
    [
      'from another issuer',
      () => accessToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER' }),
    ],
    ['issued to another client', () => accessToken({ client_id: 'someone-else' })],
    ['an id token', () => accessToken({ token_use: 'id', aud: clientId, client_id: undefined })],
    ['without sub', () => accessToken({ sub: undefined })],
    ['without exp', () => accessToken({ exp: undefined })],
  ])('rejects a token %s', async (_case, make) => {
    await expect(verify(await make())).rejects.toThrow()
  })

  it('rejects unsigned and HMAC tokens (algorithm confusion)', async () => {
    const [, payload] = (await accessToken()).split('.')
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`
    await expect(verify(none)).rejects.toThrow()
    const hmac = await new SignJWT({
      sub: 'x',
      token_use: 'access',
      client_id: clientId,
      iss: issuer,
      exp: now() + 60,
      iat: now(),
    })
      .setProtectedHeader({ alg: 'HS256', kid: 'pool-key' })
      .sign(new TextEncoder().encode('a shared secret'))
    await expect(verify(hmac)).rejects.toThrow()
  })
})

describe('bearerToken', () => {
  it('extracts a JWT from a Bearer header only', () => {
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c')
    expect(bearerToken('bearer  a-1.b_2.c')).toBe('a-1.b_2.c')
    expect(bearerToken('a.b.c')).toBeUndefined()
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined()
    expect(bearerToken('Bearer a.b')).toBeUndefined()
    expect(bearerToken(undefined)).toBeUndefined()
  })
})

describe('createTokenAuthorizer', () => {
  const event = (authorizationToken: string): APIGatewayTokenAuthorizerEvent => ({
    type: 'TOKEN',
    authorizationToken,
    methodArn: 'arn:aws:execute-api:us-east-1:123456789012:api123/prod/GET/todos/01ABC',
  })

  it('allows the whole stage for a valid token and passes the user as context', async () => {
    const result = await createTokenAuthorizer(verify)(event(`Bearer ${await accessToken()}`))
    expect(result.principalId).toBe('user-sub-1')
    expect(result.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:us-east-1:123456789012:api123/prod/*',
      },
    ])
    expect(result.context).toEqual({ sub: 'user-sub-1', username: 'alice', groups: '["authors"]' })
  })

  it('passes groups as a JSON list, so a group named "authors,editors" stays one group', async () => {
    const token = await accessToken({ 'cognito:groups': ['authors,editors', 'readers'] })
    const result = await createTokenAuthorizer(verify)(event(`Bearer ${token}`))
    expect(result.context?.groups).toBe('["authors,editors","readers"]')
    expect(decodeGroups(result.context?.groups)).toEqual(['authors,editors', 'readers'])
  })

  it("names the user's API key (usageIdentifierKey) when given a usage key choice, and none without", async () => {
    const seen: string[] = []
    const usageKey = async (sub: string) => {
      seen.push(sub)
      return `key0of0${sub.replace(/-/g, '')}`
    }
    const result = await createTokenAuthorizer(verify, { usageKey })(event(`Bearer ${await accessToken()}`))
    expect(result.usageIdentifierKey).toBe('key0of0usersub1')
    expect(seen).toEqual(['user-sub-1'])
    const without = await createTokenAuthorizer(verify)(event(`Bearer ${await accessToken()}`))
    expect(without).not.toHaveProperty('usageIdentifierKey')
  })

  it('answers exactly "Unauthorized" (API Gateway\'s 401) for a missing or bad token', async () => {
    const authorize = createTokenAuthorizer(verify)
    await expect(authorize(event(''))).rejects.toThrow(/^Unauthorized$/)
    await expect(authorize(event('Bearer not.a.jwt'))).rejects.toThrow(/^Unauthorized$/)
    await expect(authorize(event(`Bearer ${await accessToken({}, otherKey)}`))).rejects.toThrow(
      /^Unauthorized$/,
    )
  })
})

describe('decodeGroups', () => {
  it('accepts a JSON list of strings only', () => {
    expect(decodeGroups('[]')).toEqual([])
    expect(decodeGroups('["authors","a,b"]')).toEqual(['authors', 'a,b'])
    for (const bad of [
      '',
      'authors',
      'authors,editors',
      '"authors"',
      '{"0":"authors"}',
      '[1]',
      '[null]',
      '["a"',
      undefined,
      1,
      ['authors'],
    ])
      expect(decodeGroups(bad), String(bad)).toBeUndefined()
  })
})
