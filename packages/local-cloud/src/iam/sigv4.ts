/**
 * SigV4 authentication of a request as AWS performs it: the signature is recomputed with AWS's own
 * signer (`@smithy/signature-v4`, the one the SDK signs with) from the request as received and the
 * secret of the access key it names, then compared. Covers header-signed requests and presigned
 * URLs (query-signed: expiry, signed headers such as content-type and content-length, method, path).
 * Only the parsing of the Authorization header / query parameters is ours.
 */
import { timingSafeEqual } from 'node:crypto'
import { Sha256 } from '@aws-crypto/sha256-js'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'

export interface SignedRequest {
  method: string
  /** Path as sent (still percent-encoded), without the query. */
  path: string
  /** Raw query string (without `?`), as sent. */
  query: string
  /** Lower-case header names. */
  headers: Record<string, string>
  body: Uint8Array
}

export interface Credentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

/** Who signed and for what: from the Authorization header or the presigned URL's query. */
export interface SignatureClaim {
  kind: 'header' | 'presigned'
  accessKeyId: string
  date: string
  region: string
  service: string
  signedHeaders: string[]
  signature: string
  sessionToken?: string
  /** Presigned URLs only: seconds of validity from `date`. */
  expiresIn?: number
}

export type Verdict =
  | { ok: true }
  | {
      ok: false
      code: 'SignatureDoesNotMatch' | 'RequestExpired' | 'RequestTimeTooSkewed' | 'Malformed'
      message: string
    }

/** Splits a raw query without turning `+` into spaces (SigV4 canonicalises %20, never `+`). */
export const parseQuery = (query: string): [string, string][] =>
  query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const index = pair.indexOf('=')
      const [key, value] = index < 0 ? [pair, ''] : [pair.slice(0, index), pair.slice(index + 1)]
      return [decodeURIComponent(key), decodeURIComponent(value)]
    })

const credentialScope = (credential: string) => {
  const [accessKeyId, date, region, service, terminator] = credential.split('/')
  if (!accessKeyId || !date || !region || !service || terminator !== 'aws4_request') return undefined
  return { accessKeyId, region, service }
}

/** The signature's claims, or undefined for an unsigned (anonymous) request. */
export const claimOf = (request: SignedRequest): SignatureClaim | 'malformed' | undefined => {
  const authorization = request.headers.authorization
  if (authorization) {
    const match =
      /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
        authorization.trim(),
      )
    const scope = match && credentialScope(match[1]!)
    const date = request.headers['x-amz-date']
    if (!match || !scope || !date) return 'malformed'
    return {
      kind: 'header',
      ...scope,
      date,
      signedHeaders: match[2]!.split(';'),
      signature: match[3]!,
      ...(request.headers['x-amz-security-token']
        ? { sessionToken: request.headers['x-amz-security-token'] }
        : {}),
    }
  }
  const query = new Map(parseQuery(request.query))
  if (!query.has('X-Amz-Signature') && !query.has('X-Amz-Credential')) return undefined
  const scope = credentialScope(query.get('X-Amz-Credential') ?? '')
  const date = query.get('X-Amz-Date')
  const signature = query.get('X-Amz-Signature')
  const expiresIn = Number(query.get('X-Amz-Expires'))
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || !scope || !date || !signature) return 'malformed'
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 604_800) return 'malformed'
  return {
    kind: 'presigned',
    ...scope,
    date,
    signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').split(';'),
    signature,
    expiresIn,
    ...(query.get('X-Amz-Security-Token') ? { sessionToken: query.get('X-Amz-Security-Token')! } : {}),
  }
}

/** `20130524T000000Z` → Date. */
const parseAmzDate = (value: string): Date | undefined => {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[]
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!))
}

/** AWS refuses header-signed requests more than 15 minutes off its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000

const sameSignature = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

/**
 * Recomputes the signature `claim` describes with `credentials` and compares it. `now` decides
 * expiry (presigned) and clock skew (header-signed).
 */
export const verifySignature = async (
  request: SignedRequest,
  claim: SignatureClaim,
  credentials: Credentials,
  now: Date = new Date(),
): Promise<Verdict> => {
  const signingDate = parseAmzDate(claim.date)
  if (!signingDate)
    return { ok: false, code: 'Malformed', message: `X-Amz-Date ${claim.date} is not a SigV4 date` }
  if (claim.kind === 'presigned') {
    if (now.getTime() > signingDate.getTime() + claim.expiresIn! * 1000)
      return { ok: false, code: 'RequestExpired', message: 'Request has expired' }
  } else if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS) {
    return {
      ok: false,
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large.',
    }
  }
  if ((claim.sessionToken ?? '') !== (credentials.sessionToken ?? ''))
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: 'The security token included in the request is invalid.',
    }
  // Only the headers the client signed take part; `host` is always among them.
  const signed = new Set(claim.signedHeaders)
  const headers: Record<string, string> = {}
  for (const name of signed) {
    const value = request.headers[name]
    if (value === undefined)
      return {
        ok: false,
        code: 'SignatureDoesNotMatch',
        message: `Signed header ${name} is missing from the request`,
      }
    headers[name] = value
  }
  // The signer leaves X-Amz-Signature out of the canonical query itself.
  const query: Record<string, string | string[]> = {}
  for (const [key, value] of parseQuery(request.query)) {
    const existing = query[key]
    query[key] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
  }
  const [hostname, port] = (request.headers.host ?? '').split(':')
  const httpRequest = new HttpRequest({
    method: request.method,
    protocol: 'http:',
    hostname: hostname ?? '',
    ...(port ? { port: Number(port) } : {}),
    path: request.path,
    query,
    headers,
    body: request.body,
  })
  const signer = new SignatureV4({
    credentials,
    region: claim.region,
    service: claim.service,
    sha256: Sha256,
    // S3 signs the path as sent; every other service escapes it once more.
    uriEscapePath: claim.service !== 's3',
    applyChecksum: false,
  })
  let computed: string | undefined
  if (claim.kind === 'presigned') {
    // S3 presigned URLs sign UNSIGNED-PAYLOAD; the hash is an input, not a signed header.
    httpRequest.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD'
    const presigned = await signer.presign(httpRequest, {
      signingDate,
      expiresIn: claim.expiresIn!,
      signableHeaders: signed,
      unsignableHeaders: new Set(['x-amz-content-sha256']),
      unhoistableHeaders: new Set([...signed, 'x-amz-content-sha256']),
    })
    computed = String(presigned.query?.['X-Amz-Signature'])
  } else {
    const result = await signer.sign(httpRequest, { signingDate, signableHeaders: signed })
    computed = /Signature=([0-9a-f]{64})/.exec(String(result.headers.authorization))?.[1]
  }
  if (computed && sameSignature(computed, claim.signature)) return { ok: true }
  return {
    ok: false,
    code: 'SignatureDoesNotMatch',
    message:
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  }
}
