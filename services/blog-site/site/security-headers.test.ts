import { describe, expect, it } from 'vitest'
import { securityHeaders, studioSecurityHeaders } from './security-headers'

describe("the studio's security headers", () => {
  const studio = { cognitoEndpoint: 'http://127.0.0.1:9229', realtimeUrl: 'ws://127.0.0.1:3006' }

  it("are the site's, with connect-src widened to exactly the studio's endpoints", () => {
    const site = securityHeaders()
    const headers = studioSecurityHeaders(studio, 'http://127.0.0.1:4566')
    expect({ ...headers, 'content-security-policy': '' }).toEqual({ ...site, 'content-security-policy': '' })
    expect(headers['content-security-policy']).toBe(
      `${site['content-security-policy']} http://127.0.0.1:9229 http://127.0.0.1:4566 ws://127.0.0.1:3006`,
    )
    expect(headers['content-security-policy']).not.toContain('*')
  })

  it('name no WebSocket where the stage has none', () => {
    expect(
      studioSecurityHeaders({ ...studio, realtimeUrl: null }, 'https://b.s3.us-east-1.amazonaws.com')[
        'content-security-policy'
      ],
    ).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:9229 https:\/\/b\.s3\.us-east-1\.amazonaws\.com$/)
  })
})
