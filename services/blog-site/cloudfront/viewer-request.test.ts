import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadViewerRequest, viewerRequestSource as source } from './load'

/**
 * Runs the exact source CloudFront runs (serverless.yml embeds the same file) in a fresh V8
 * context, so the test sees only what the function defines itself: no Node globals, no imports.
 */
const handler = loadViewerRequest() as unknown as (event: unknown) => CloudFrontResult

interface CloudFrontResult {
  uri?: string
  statusCode?: number
  headers?: Record<string, { value: string }>
}

const viewerRequest = (uri: string, querystring: Record<string, { value: string }> = {}) =>
  handler({
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '192.0.2.1' },
    request: { method: 'GET', uri, querystring, headers: {}, cookies: {} },
  })

describe('viewer-request URL rewriting', () => {
  it.each([
    ['/', '/index.html'],
    ['/index.html', '/index.html'],
    ['/posts', '/index.html'],
    ['/posts/', '/index.html'],
    ['/posts/hello-world', '/post.html'],
    ['/posts/2026-roundup', '/post.html'],
    ['/post.html', '/post.html'],
    ['/unsubscribe', '/unsubscribe.html'],
    ['/confirm', '/confirm.html'],
    ['/studio/', '/studio/index.html'],
    ['/studio/index.html', '/studio/index.html'],
    ['/studio/config.json', '/studio/config.json'],
    ['/404.html', '/404.html'],
    ['/favicon.svg', '/favicon.svg'],
    ['/assets/main-3FJ2KQ7A.js', '/assets/main-3FJ2KQ7A.js'],
    ['/media/thumbnails/photos/hello-world/x-256.webp', '/photos/hello-world/x-256.webp'],
  ])('%s -> %s', (uri, object) => {
    expect(viewerRequest(uri).uri).toBe(object)
  })

  it.each([
    '/posts/Hello-World',
    '/posts/hello--world',
    '/posts/-hello',
    '/posts/hello/extra',
    '/posts/../secret',
    `/posts/${'a'.repeat(81)}`,
    '/about',
    '/assets/../index.html',
    '/.env',
    '/media/other/x.jpg',
    '/media/uploads/',
    '/studio/other.json',
    '/studio/../index.html',
    // Originals are no origin of the distribution (camera EXIF): their URLs end at the 404 page.
    '/media/uploads/photos/hello-world/0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2c.jpg',
  ])('%s -> the 404 page', (uri) => {
    expect(viewerRequest(uri).uri).toBe('/404.html')
  })

  it('redirects a trailing slash to the one canonical post URL', () => {
    const result = viewerRequest('/posts/hello-world/')
    expect(result.statusCode).toBe(301)
    expect(result.headers?.location?.value).toBe('/posts/hello-world')
  })

  it('redirects /studio to the studio folder', () => {
    const result = viewerRequest('/studio')
    expect(result.statusCode).toBe(301)
    expect(result.headers?.location?.value).toBe('/studio/')
  })

  it('keeps the query string of a rewritten request', () => {
    const result = handler({
      request: { method: 'GET', uri: '/posts/a', querystring: { ref: { value: 'rss' } }, headers: {} },
    }) as CloudFrontResult & { querystring: unknown }
    expect(result.querystring).toEqual({ ref: { value: 'rss' } })
  })

  it('maps any path to a known object or the 404 page, never to an arbitrary key', () => {
    fc.assert(
      fc.property(fc.webPath(), (path) => {
        const uri = path.startsWith('/') ? path : `/${path}`
        const result = viewerRequest(uri)
        if (result.statusCode) return expect(result.statusCode).toBe(301)
        const target = result.uri!
        const known =
          /^\/(index|post|404|unsubscribe|confirm)\.html$/.test(target) ||
          /^\/[a-z0-9-]+\.(html|svg|ico|txt|webmanifest)$/.test(target) ||
          /^\/assets\/[A-Za-z0-9._-]+$/.test(target) ||
          /^\/studio\/(index\.html|config\.json)$/.test(target) ||
          uri.startsWith('/media/thumbnails/')
        expect(known).toBe(true)
        expect(target).not.toContain('..')
      }),
      { numRuns: 2000 },
    )
  })

  it('fits CloudFront Functions limits (10 KB of code, no template literals)', () => {
    expect(Buffer.byteLength(source)).toBeLessThan(10 * 1024)
    expect(source).not.toContain('${')
  })
})
