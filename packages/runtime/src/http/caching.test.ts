import { describe, expect, it } from 'vitest'
import { ifNoneMatchHits, strongEtag } from './caching'

describe('strongEtag', () => {
  it('is a quoted tag that depends only on the bytes', () => {
    expect(strongEtag('{"a":1}')).toBe(strongEtag('{"a":1}'))
    expect(strongEtag('{"a":1}')).not.toBe(strongEtag('{"a":2}'))
    expect(strongEtag('x')).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
  })
})

describe('ifNoneMatchHits', () => {
  const etag = strongEtag('body')
  it('matches the tag, a list containing it, its weak form and *', () => {
    expect(ifNoneMatchHits(etag, etag)).toBe(true)
    expect(ifNoneMatchHits(`"other", ${etag}`, etag)).toBe(true)
    expect(ifNoneMatchHits(`W/${etag}`, etag)).toBe(true)
    expect(ifNoneMatchHits('*', etag)).toBe(true)
  })
  it('does not match anything else', () => {
    expect(ifNoneMatchHits(undefined, etag)).toBe(false)
    expect(ifNoneMatchHits('"other"', etag)).toBe(false)
    expect(ifNoneMatchHits(etag.slice(1, -1), etag)).toBe(false)
  })
})
