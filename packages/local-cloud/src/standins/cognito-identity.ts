/**
 * Cognito Identity Pools, locally: `GetId` and `GetCredentialsForIdentity` (the two calls the SDK's
 * `fromCognitoIdentityPool` credential provider makes) for the pools the templates declare
 * (`AWS::Cognito::IdentityPool` + `IdentityPoolRoleAttachment` + `IdentityPoolPrincipalTag`).
 * They accept only a valid ID token of a user pool the identity pool names (signature checked
 * against the pool's JWKS with jose, issuer, audience = the pool's app client, token_use = id), and
 * answer with temporary credentials of the authenticated role, whose calls the IAM gateway then
 * evaluates with the identity's context: `cognito-identity.amazonaws.com:sub|aud|amr` and the
 * principal tags mapped from the token's claims. Hand-written because no maintained stand-in exists
 * (cognito-local does user pools only); the protocol is two JSON 1.1 operations.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose'
import { listenOnLoopback } from '../http-server'
import type { Credentials } from '../iam/sigv4'
import { assertPortFree } from '../ports'

export interface IdentityPoolConfig {
  id: string
  name: string
  /** `ProviderName` (issuer without scheme) and the app client ids each accepts. */
  providers: { providerName: string; clientIds: string[] }[]
  authenticatedRoleArn?: string
  /** Per provider: principal tag → token claim. */
  principalTags: Record<string, Record<string, string>>
}

export interface AssumedRole {
  credentials: Credentials
  expiration: Date
}

export interface CognitoIdentityOptions {
  port: number
  region: string
  /** The scheme in front of ProviderName (cognito-local serves http; AWS https). */
  issuerScheme: string
  pools(): readonly IdentityPoolConfig[]
  /** STS AssumeRoleWithWebIdentity, as the identity pool performs it on the caller's behalf. */
  assumeRole(request: {
    roleArn: string
    sessionName: string
    context: Record<string, string | string[]>
    sessionTags: Record<string, string>
  }): Promise<AssumedRole>
}

export interface RunningCognitoIdentity {
  readonly endpoint: string
  stop(): Promise<void>
}

/** Pool ids have the AWS shape `<region>:<uuid>`, stable for a template's pool. */
export const identityPoolIdOf = (region: string, stackName: string, logicalId: string) => {
  const hex = createHash('sha256').update(`${stackName}/${logicalId}`).digest('hex')
  return `${region}:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

class IdentityError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message)
  }
}

const readJson = (request: IncomingMessage): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>)
      } catch {
        reject(new IdentityError('SerializationException', 'Malformed JSON'))
      }
    })
    request.on('error', reject)
  })

export const startCognitoIdentity = async (
  options: CognitoIdentityOptions,
): Promise<RunningCognitoIdentity> => {
  const { port, region, issuerScheme } = options
  await assertPortFree(port, 'Cognito Identity (identity pools)')
  const jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>()
  /** identity id → the user it was issued to (provider + sub), as the service remembers it. */
  const identities = new Map<string, { poolId: string; providerName: string; sub: string }>()

  const poolOf = (id: unknown) => {
    const pool = options.pools().find((candidate) => candidate.id === id)
    if (!pool) throw new IdentityError('ResourceNotFoundException', `IdentityPool '${String(id)}' not found.`)
    return pool
  }

  /** The one login of the request, verified as AWS does before trusting it. */
  const verifiedLogin = async (pool: IdentityPoolConfig, logins: unknown) => {
    const entries = Object.entries((logins as Record<string, string>) ?? {})
    if (entries.length !== 1)
      throw new IdentityError(
        'NotAuthorizedException',
        'Unauthenticated access is not supported for this identity pool.',
      )
    const [providerName, token] = entries[0]!
    const provider = pool.providers.find((candidate) => candidate.providerName === providerName)
    if (!provider)
      throw new IdentityError(
        'NotAuthorizedException',
        `Invalid login token. Issuer ${providerName} is not configured for this pool.`,
      )
    const issuer = `${issuerScheme}${providerName}`
    let keys = jwks.get(issuer)
    if (!keys) {
      keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`))
      jwks.set(issuer, keys)
    }
    let claims: JWTPayload
    try {
      ;({ payload: claims } = await jwtVerify(String(token), keys, { issuer, audience: provider.clientIds }))
    } catch (error) {
      throw new IdentityError('NotAuthorizedException', `Invalid login token. ${(error as Error).message}`)
    }
    if (claims.token_use !== 'id' || typeof claims.sub !== 'string')
      throw new IdentityError('NotAuthorizedException', 'Invalid login token. An ID token is required.')
    return { providerName, claims }
  }

  const identityIdFor = (pool: IdentityPoolConfig, providerName: string, sub: string) => {
    const hex = createHash('sha256').update(`${pool.id}/${providerName}/${sub}`).digest('hex')
    const id = `${region}:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
    identities.set(id, { poolId: pool.id, providerName, sub })
    return id
  }

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    async GetId(body) {
      const pool = poolOf(body.IdentityPoolId)
      const { providerName, claims } = await verifiedLogin(pool, body.Logins)
      return { IdentityId: identityIdFor(pool, providerName, String(claims.sub)) }
    },
    async GetCredentialsForIdentity(body) {
      const known = identities.get(String(body.IdentityId))
      if (!known)
        throw new IdentityError(
          'ResourceNotFoundException',
          `Identity '${String(body.IdentityId)}' not found.`,
        )
      const pool = poolOf(known.poolId)
      const { providerName, claims } = await verifiedLogin(pool, body.Logins)
      // The token must be the identity's own user's.
      if (providerName !== known.providerName || claims.sub !== known.sub)
        throw new IdentityError(
          'NotAuthorizedException',
          'Invalid login token. Not the identity of this token.',
        )
      if (!pool.authenticatedRoleArn)
        throw new IdentityError(
          'InvalidIdentityPoolConfigurationException',
          'No authenticated role for this identity pool.',
        )
      const sessionTags: Record<string, string> = {}
      for (const [tag, claim] of Object.entries(pool.principalTags[providerName] ?? {}))
        if (typeof claims[claim] === 'string') sessionTags[tag] = claims[claim] as string
      const assumed = await options.assumeRole({
        roleArn: pool.authenticatedRoleArn,
        sessionName: 'CognitoIdentityCredentials',
        context: {
          'cognito-identity.amazonaws.com:sub': String(body.IdentityId),
          'cognito-identity.amazonaws.com:aud': pool.id,
          'cognito-identity.amazonaws.com:amr': ['authenticated', providerName],
        },
        sessionTags,
      })
      return {
        IdentityId: body.IdentityId,
        Credentials: {
          AccessKeyId: assumed.credentials.accessKeyId,
          SecretKey: assumed.credentials.secretAccessKey,
          SessionToken: assumed.credentials.sessionToken,
          Expiration: Math.floor(assumed.expiration.getTime() / 1000),
        },
      }
    },
  }

  const answer = (response: ServerResponse, status: number, body: unknown, errorType?: string) => {
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    })
    response.end(JSON.stringify(body))
  }

  const server = createServer((request, response) => {
    const target = String(request.headers['x-amz-target'] ?? '')
    const operation = operations[target.replace(/^AWSCognitoIdentityService\./, '')]
    const run = async () => {
      if (request.method !== 'POST' || !operation)
        throw new IdentityError(
          'UnknownOperationException',
          `Unsupported operation ${target || request.method}`,
        )
      return operation(await readJson(request))
    }
    run().then(
      (result) => answer(response, 200, result),
      (error: Error) => {
        const known = error instanceof IdentityError
        answer(
          response,
          known ? error.status : 500,
          { __type: known ? error.code : 'InternalErrorException', message: error.message },
          known ? error.code : 'InternalErrorException',
        )
      },
    )
  })
  const listening = await listenOnLoopback(server, port)
  return { endpoint: listening.url, stop: () => listening.stop() }
}
