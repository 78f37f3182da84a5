import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * A secret header only the CDN in front of an API adds to its origin requests (CloudFront's
 * origin custom headers): a request without it reached the API's own URL directly, around the
 * CDN's caching, WAF and limits.
 */
export interface OriginSecret {
  /** The header's name, lower-case (the route's headers are). */
  readonly header: string
  /** Every value accepted: the one the CDN sends and, during a rotation, the one it is moving to or from. */
  readonly values: readonly string[]
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()

/**
 * Whether the request carries one of the accepted values. Compared as equal-length digests in
 * constant time, every value checked: an early exit would tell a guesser how close it came.
 */
export const carriesOriginSecret = (
  headers: Readonly<Record<string, string>>,
  secret: OriginSecret,
): boolean => {
  const sent = headers[secret.header]
  if (sent === undefined) return false
  const got = digest(sent)
  let matched = false
  for (const value of secret.values) matched = timingSafeEqual(got, digest(value)) || matched
  return matched
}
