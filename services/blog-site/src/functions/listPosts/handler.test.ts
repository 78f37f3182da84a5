import { createCursorCodec } from '@app/runtime/http'
import { describe, expect, it } from 'vitest'
import { aPost, call, fakePosts, viaCdn } from '../../testing/fakes'
import { listPostsRoute } from './route'

const posts = Array.from({ length: 7 }, (_, i) =>
  aPost({ slug: `post-${i}`, title: `Post ${i}`, publishedAt: `2026-11-0${i + 1}T09:00:00.000Z` }),
)
const route = () =>
  listPostsRoute({
    ...viaCdn,
    posts: fakePosts(posts).repository,
    cursors: createCursorCodec('k'.repeat(32)),
  })

describe('GET /api/posts', () => {
  it('lists newest first, without bodies, page by page', async () => {
    const handler = route()
    const first = await call(handler, { query: { limit: '3' } })
    expect(first.status).toBe(200)
    expect(first.body.items.map((post: { slug: string }) => post.slug)).toEqual([
      'post-6',
      'post-5',
      'post-4',
    ])
    expect(first.body.items[0]).not.toHaveProperty('body')
    const seen = [...first.body.items]
    let cursor = first.body.nextCursor
    while (cursor) {
      const page = await call(handler, { query: { limit: '3', cursor } })
      seen.push(...page.body.items)
      cursor = page.body.nextCursor
    }
    expect(seen.map((post) => post.slug)).toEqual([
      'post-6',
      'post-5',
      'post-4',
      'post-3',
      'post-2',
      'post-1',
      'post-0',
    ])
  })

  it('is cacheable by a CDN and answers a matching If-None-Match with 304', async () => {
    const handler = route()
    const first = await call(handler)
    expect(first.headers['cache-control']).toMatch(/public/)
    expect(first.headers['cache-control']).toMatch(/s-maxage=\d+/)
    expect(first.headers.etag).toMatch(/^"[^"]+"$/)
    const again = await call(handler, { headers: { 'If-None-Match': first.headers.etag! } })
    expect(again.status).toBe(304)
    expect(again.body).toBeUndefined()
  })

  it('changes its ETag when a post changes', async () => {
    const store = fakePosts(posts)
    const handler = listPostsRoute({
      ...viaCdn,
      posts: store.repository,
      cursors: createCursorCodec('k'.repeat(32)),
    })
    const before = await call(handler)
    store.items.set('post-6', { ...posts[6]!, title: 'Edited' })
    const after = await call(handler)
    expect(after.headers.etag).not.toBe(before.headers.etag)
  })

  it('rejects a forged or edited cursor with 400', async () => {
    const handler = route()
    const first = await call(handler, { query: { limit: '2' } })
    const [payload, signature] = (first.body.nextCursor as string).split('.')
    const forged = `${Buffer.from(JSON.stringify({ slug: 'post-0', publishedAt: 'x' })).toString('base64url')}.${signature}`
    for (const cursor of [forged, `${payload}.AAAA`, 'garbage']) {
      const answer = await call(handler, { query: { cursor } })
      expect(answer.status).toBe(400)
      expect(answer.headers['content-type']).toBe('application/problem+json')
    }
  })

  it.each<Record<string, string>>([{ limit: '0' }, { limit: '51' }, { limit: 'ten' }, { unknown: '1' }])(
    'rejects query %j',
    async (query) => {
      expect((await call(route(), { query })).status).toBe(400)
    },
  )
})
