import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { localCloud } from '@app/local-cloud/testing'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { SMALL_JPEG, standIns, unique } from './stand-ins'

/**
 * The local edge (site/edge.ts, CloudFront's stand-in, with the real CloudFront functions) answers an
 * unknown page with the 404 page *and* status 404: a 200 there is a soft 404 search engines index.
 * It serves thumbnails and never a photo's original (the camera's EXIF: GPS position, serial), and
 * it is the only way into the API: a direct call to the API origin lacks its origin secret header.
 */
const cloud = localCloud()
const site = cloud.endpoints.blogSite as string
const notFoundTitle = /<title>[^<]*<\/title>/.exec(
  readFileSync(join(import.meta.dirname, '..', 'site', 'pages', '404.html'), 'utf8'),
)?.[0] as string

describe('unknown pages through the local edge', () => {
  it.each(['/no-such-page', '/posts/a/b/c', '/404.html'])('GET %s → 404 with the 404 page', async (path) => {
    const response = await fetch(`${site}${path}`)
    const html = await response.text()
    expect(response.status, html.slice(0, 200)).toBe(404)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(html).toContain(notFoundTitle)
    expect(response.headers.get('x-amz-meta-http-status')).toBeNull()
  })

  it('keeps known pages at 200 and the API its own 404 problem', async () => {
    expect((await fetch(`${site}/`)).status).toBe(200)
    const problem = await fetch(`${site}/api/posts/no-such-post`)
    expect(problem.status).toBe(404)
    expect(problem.headers.get('content-type')).toBe('application/problem+json')
  })
})

describe('photo media through the local edge', () => {
  it('serves a thumbnail, and never the original in the uploads bucket', async () => {
    const { s3, outputs } = standIns(cloud)
    const key = `photos/${unique('edge-media')}/0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2c.jpg`
    for (const Bucket of [outputs.UploadsBucketName, outputs.ThumbnailsBucketName])
      await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: SMALL_JPEG, ContentType: 'image/jpeg' }))

    const thumbnail = await fetch(`${site}/media/thumbnails/${key}`)
    expect(thumbnail.status).toBe(200)
    expect(Buffer.from(await thumbnail.arrayBuffer())).toEqual(SMALL_JPEG)

    const original = await fetch(`${site}/media/uploads/${key}`)
    const body = Buffer.from(await original.arrayBuffer())
    expect(original.status).toBe(404)
    expect(original.headers.get('content-type')).toMatch(/^text\/html/)
    expect(body.toString('utf8')).toContain(notFoundTitle)
    expect(body.includes(SMALL_JPEG)).toBe(false)
  })
})

describe('the API behind the distribution only', () => {
  const api = cloud.endpoints.blogApi as string
  const expectForbidden = async (response: Response) => {
    expect(response.status).toBe(403)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(await response.json()).toMatchObject({ type: '/problems/forbidden', status: 403 })
  }
  const subscribe = (base: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/subscribers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ email: `${unique('direct')}@example.com` }),
    })

  it('refuses a direct call to the API origin (no X-Origin-Verify) with a 403 problem', async () => {
    await expectForbidden(await fetch(`${api}/api/posts`))
    await expectForbidden(await subscribe(api))
  })

  it('refuses a direct call with a wrong X-Origin-Verify with a 403 problem', async () => {
    await expectForbidden(
      await fetch(`${api}/api/posts`, { headers: { 'x-origin-verify': 'guess'.repeat(13) } }),
    )
    await expectForbidden(await subscribe(api, { 'X-Origin-Verify': 'x'.repeat(64) }))
  })

  it('answers the same calls through the edge, which adds the header whatever the viewer sends', async () => {
    expect((await fetch(`${site}/api/posts`)).status).toBe(200)
    expect((await subscribe(site)).status).toBe(202)
    // CloudFront overwrites a viewer's header of the same name, and so does the local edge.
    expect((await subscribe(site, { 'X-Origin-Verify': 'guess' })).status).toBe(202)
  })
})
