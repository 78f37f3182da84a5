import { hash } from 'node:crypto'

/**
 * Strong ETag of a representation: same bytes, same tag (RFC 9110 §8.8.3). One-shot `hash()`: the
 * same SHA-256 as `createHash().update().digest()` without a Hash object per response.
 */
export const strongEtag = (body: string): string => `"${hash('sha256', body, 'base64url').slice(0, 27)}"`

/**
 * True when an `If-None-Match` header matches `etag`, so a 304 can replace the body.
 * Handles lists and `*`; weak comparison as RFC 9110 §13.1.2 requires for If-None-Match.
 */
export const ifNoneMatchHits = (header: string | undefined, etag: string): boolean => {
  if (!header) return false
  if (header.trim() === '*') return true
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.split(',').some((candidate) => opaque(candidate) === opaque(etag))
}
