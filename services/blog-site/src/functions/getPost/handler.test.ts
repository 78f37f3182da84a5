import { describe, expect, it } from 'vitest'
import { aPost, call, fakePosts, viaCdn } from '../../testing/fakes'
import { getPostRoute } from './route'

const handler = getPostRoute({ ...viaCdn, posts: fakePosts([aPost()]).repository })

describe('GET /api/posts/{slug}', () => {
  it('returns the post with caching headers', async () => {
    const answer = await call(handler, {
      path: '/api/posts/hello-world',
      pathParameters: { slug: 'hello-world' },
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ slug: 'hello-world', body: 'First paragraph.\n\nSecond paragraph.' })
    expect(answer.headers['cache-control']).toMatch(/^public/)
    expect(answer.headers.etag).toBeDefined()
  })

  it('answers 404 as a problem for an unknown slug', async () => {
    const answer = await call(handler, { pathParameters: { slug: 'no-such-post' } })
    expect(answer.status).toBe(404)
    expect(answer.body).toMatchObject({ type: '/problems/not-found', status: 404 })
  })

  it.each(['Hello', 'a--b', '-a', 'a'.repeat(81), '../x'])('answers 400 for the slug %j', async (slug) => {
    expect((await call(handler, { pathParameters: { slug } })).status).toBe(400)
  })
})
