import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda'
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose'
import * as z from 'zod'
import { logger } from '../observability'
import { encodeGroups } from './groups'

export { decodeGroups, encodeGroups } from './groups'

/**
 * Verifies Cognito User Pool tokens for real: RS256 signature against the pool's JWKS, issuer,
 * expiry, token use and client. The same code runs in AWS (as the API's Lambda authorizer) and
 * locally against cognito-local (serverless-offline runs the authorizer too), so there is no
 * local-only bypass. `jose` does the cryptography; aws-jwt-verify would reject cognito-local's
 * `local_` pool ids.
 */
export const authEnvSchema = z.object({
  /** `https://cognito-idp.<region>.amazonaws.com/<poolId>` in AWS; `http://localhost:9229/<poolId>` locally. */
  COGNITO_ISSUER: z.url(),
  /** App client ids allowed to call this API, comma-separated. */
  COGNITO_CLIENT_IDS: z
    .string()
    .min(1)
    .transform((value) =>
      value
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
})
export type AuthEnv = z.output<typeof authEnvSchema>

export interface VerifiedUser {
  sub: string
  username: string
  groups: string[]
}

const accessTokenClaims = z.object({
  sub: z.string().min(1),
  token_use: z.literal('access'),
  client_id: z.string().min(1),
  username: z.string().optional(),
  'cognito:username': z.string().optional(),
  'cognito:groups': z.array(z.string()).optional(),
})

export type TokenVerifier = (token: string) => Promise<VerifiedUser>

/**
 * Builds a verifier for Cognito *access* tokens (what a mobile client sends to an API).
 * `options.jwks` replaces the pool's remote key set (tests sign with keys of their own).
 */
export const createCognitoVerifier = (
  env: AuthEnv,
  options: { jwks?: JWTVerifyGetKey } = {},
): TokenVerifier => {
  const jwks =
    options.jwks ??
    createRemoteJWKSet(new URL(`${env.COGNITO_ISSUER}/.well-known/jwks.json`), {
      cacheMaxAge: 60 * 60 * 1000,
    })
  return async (token) => {
    const { payload } = await jwtVerify<JWTPayload>(token, jwks, {
      issuer: env.COGNITO_ISSUER,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat', 'sub'],
    })
    const claims = accessTokenClaims.parse(payload)
    if (!env.COGNITO_CLIENT_IDS.includes(claims.client_id)) throw new Error('token issued to another client')
    return {
      sub: claims.sub,
      username: claims.username ?? claims['cognito:username'] ?? claims.sub,
      groups: claims['cognito:groups'] ?? [],
    }
  }
}

/** Extracts the token of an `Authorization: Bearer <token>` header. */
export const bearerToken = (header: string | undefined): string | undefined => {
  const match = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/i.exec(header?.trim() ?? '')
  return match?.[1]
}

/**
 * API Gateway TOKEN authorizer. Throwing exactly `Unauthorized` is how API Gateway (and
 * serverless-offline) answer 401; the gateway response template turns it into a problem document.
 * The policy allows the whole API for this caller so API Gateway can cache the result per token.
 * `options.usageKey` names the verified user's API key (`usageIdentifierKey`, for an API whose key
 * source is AUTHORIZER: `@app/runtime/usage-keys`); cached with the decision.
 */
export const createTokenAuthorizer =
  (verify: TokenVerifier, options: { usageKey?: ((sub: string) => Promise<string>) | undefined } = {}) =>
  async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = bearerToken(event.authorizationToken)
    if (!token) throw new Error('Unauthorized')
    let user: VerifiedUser
    try {
      user = await verify(token)
    } catch (error) {
      logger.info('Token rejected', { reason: (error as Error).message })
      throw new Error('Unauthorized')
    }
    const [arnPrefix, stage] = event.methodArn.split('/')
    const usageIdentifierKey = await options.usageKey?.(user.sub)
    return {
      principalId: user.sub,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arnPrefix}/${stage}/*` }],
      },
      context: { sub: user.sub, username: user.username, groups: encodeGroups(user.groups) },
      ...(usageIdentifierKey === undefined ? {} : { usageIdentifierKey }),
    }
  }

/** The parts of a REQUEST authorizer event (WebSocket `$connect`) a token is read from. */
export interface RequestAuthorizerEvent {
  methodArn: string
  queryStringParameters?: Record<string, string | undefined> | null
}

/**
 * API Gateway REQUEST authorizer for a WebSocket API's `$connect`: browsers cannot set headers on
 * a WebSocket, so the access token comes as `?token=`, verified by the same verifier as the REST
 * authorizers. A missing or bad token gets a Deny policy (403; API Gateway itself answers 401 when
 * the identity source is absent); the token is never logged, only the verifier's reason. The
 * context reaches every later route of the connection (`requestContext.authorizer`).
 */
export const createQueryTokenAuthorizer =
  (verify: TokenVerifier, parameter = 'token') =>
  async (event: RequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = event.queryStringParameters?.[parameter]
    const deny = (): APIGatewayAuthorizerResult => ({
      principalId: 'anonymous',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: event.methodArn }],
      },
    })
    if (!token) return deny()
    let user: VerifiedUser
    try {
      user = await verify(token)
    } catch (error) {
      logger.info('Token rejected', { reason: (error as Error).message })
      return deny()
    }
    return {
      principalId: user.sub,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
      context: { sub: user.sub, username: user.username, groups: encodeGroups(user.groups) },
    }
  }
