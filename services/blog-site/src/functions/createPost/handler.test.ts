import { NO_DISPLAY_NAME } from '@app/domain/posts'
import { describe, expect, it } from 'vitest'
import { aPost, author, call, fakePosts, fixedClock, reader, recordingCdn, viaCdn } from '../../testing/fakes'
import { createPostRoute } from './route'

const setup = () => {
  const posts = fakePosts([aPost()])
  const cdn = recordingCdn()
  const handler = createPostRoute({ ...viaCdn, posts: posts.repository, cdn: cdn.cdn, clock: fixedClock() })
  return { posts, cdn, handler }
}
const body = { slug: 'second-post', title: ' Second ', summary: 'More', body: 'Text.', tags: ['news'] }

describe('POST /api/posts', () => {
  it('publishes the post, answers 201 with its location and invalidates the cached list', async () => {
    const { posts, cdn, handler } = setup()
    const answer = await call(handler, { method: 'POST', body, principal: author })
    expect(answer.status).toBe(201)
    expect(answer.headers.location).toBe('/api/posts/second-post')
    // No display name given: the neutral fallback, never the author's username (`ada`).
    expect(answer.body).toMatchObject({
      slug: 'second-post',
      title: 'Second',
      author: NO_DISPLAY_NAME,
      version: 1,
    })
    expect(posts.items.get('second-post')?.publishedAt).toBe('2026-11-22T10:00:00.000Z')
    expect(cdn.invalidated).toEqual([['/api/posts', '/api/posts/second-post']])
  })

  it('shows the display name the author gives, trimmed, and stores it on the post', async () => {
    const { posts, handler } = setup()
    const answer = await call(handler, {
      method: 'POST',
      body: { ...body, authorName: '  Ada Lovelace ' },
      principal: author,
    })
    expect(answer.status).toBe(201)
    expect(answer.body.author).toBe('Ada Lovelace')
    expect(posts.items.get('second-post')?.author).toBe('Ada Lovelace')
  })

  it.each(['ada@example.com', '', 'x'.repeat(61), 'Ada\nLovelace'])(
    'answers 400 for the display name %j, storing nothing',
    async (authorName) => {
      const { posts, handler } = setup()
      const answer = await call(handler, { method: 'POST', body: { ...body, authorName }, principal: author })
      expect(answer.status).toBe(400)
      expect(answer.body.errors[0].pointer).toBe('/body/authorName')
      expect(posts.items.has('second-post')).toBe(false)
    },
  )

  it('answers 401 without a principal and 403 outside the authors group, storing nothing', async () => {
    const { posts, cdn, handler } = setup()
    expect((await call(handler, { method: 'POST', body })).status).toBe(401)
    const forbidden = await call(handler, { method: 'POST', body, principal: reader })
    expect(forbidden.status).toBe(403)
    expect(forbidden.body.type).toBe('/problems/forbidden')
    expect(posts.items.has('second-post')).toBe(false)
    expect(cdn.invalidated).toEqual([])
  })

  it('answers 409 for a slug that is taken', async () => {
    const { handler } = setup()
    const answer = await call(handler, {
      method: 'POST',
      body: { ...body, slug: 'hello-world' },
      principal: author,
    })
    expect(answer.status).toBe(409)
  })

  it.each([
    { ...body, slug: 'Bad Slug' },
    { ...body, title: '   ' },
    { ...body, body: '' },
    { ...body, extra: true },
    { ...body, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
    { ...body, title: 'bell\u0007' },
  ])('answers 400 for %j', async (bad) => {
    const { posts, handler } = setup()
    expect((await call(handler, { method: 'POST', body: bad, principal: author })).status).toBe(400)
    expect(posts.items.size).toBe(1)
  })

  it('answers 415 for a body that is not JSON', async () => {
    const { handler } = setup()
    const answer = await call(handler, {
      method: 'POST',
      rawBody: 'slug=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      principal: author,
    })
    expect(answer.status).toBe(415)
  })
})
