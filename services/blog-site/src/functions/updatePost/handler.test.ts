import { describe, expect, it } from 'vitest'
import {
  aPost,
  author,
  call,
  commaGroup,
  editor,
  fakePosts,
  fixedClock,
  otherAuthor,
  reader,
  recordingCdn,
  viaCdn,
} from '../../testing/fakes'
import { updatePostRoute } from './route'

const setup = () => {
  const posts = fakePosts([aPost()])
  const cdn = recordingCdn()
  return {
    posts,
    cdn,
    handler: updatePostRoute({ ...viaCdn, posts: posts.repository, cdn: cdn.cdn, clock: fixedClock() }),
  }
}
const edit = { title: 'Hello again', summary: 'Edited', body: 'New text.', tags: [], version: 1 }
const at = (slug: string) => ({ method: 'PUT', path: `/api/posts/${slug}`, pathParameters: { slug } })

describe('PUT /api/posts/{slug}', () => {
  it('replaces the content, bumps the version and invalidates list and post', async () => {
    const { posts, cdn, handler } = setup()
    const answer = await call(handler, { ...at('hello-world'), body: edit, principal: author })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      title: 'Hello again',
      version: 2,
      publishedAt: '2026-11-01T09:00:00.000Z',
    })
    expect(posts.items.get('hello-world')?.updatedAt).toBe('2026-11-22T10:00:00.000Z')
    expect(cdn.invalidated).toEqual([['/api/posts', '/api/posts/hello-world']])
  })

  it('answers 412 for a stale version and keeps the stored post', async () => {
    const { posts, cdn, handler } = setup()
    await call(handler, { ...at('hello-world'), body: edit, principal: author })
    const stale = await call(handler, {
      ...at('hello-world'),
      body: { ...edit, title: 'Lost' },
      principal: author,
    })
    expect(stale.status).toBe(412)
    expect(posts.items.get('hello-world')?.title).toBe('Hello again')
    expect(cdn.invalidated).toHaveLength(1)
  })

  it('answers 404 for an unknown post and 403 for a reader', async () => {
    const { handler } = setup()
    expect((await call(handler, { ...at('nope'), body: edit, principal: author })).status).toBe(404)
    expect((await call(handler, { ...at('hello-world'), body: edit, principal: reader })).status).toBe(403)
  })

  it('answers 400 without a version', async () => {
    const { handler } = setup()
    const { version: _version, ...withoutVersion } = edit
    expect(
      (await call(handler, { ...at('hello-world'), body: withoutVersion, principal: author })).status,
    ).toBe(400)
  })

  it("lets only the post's author or an editor revise it; another author gets a 403 problem", async () => {
    const { posts, cdn, handler } = setup()
    for (const principal of [otherAuthor, commaGroup]) {
      const denied = await call(handler, { ...at('hello-world'), body: edit, principal })
      expect(denied.status, principal.username).toBe(403)
      expect(denied.headers['content-type']).toBe('application/problem+json')
    }
    expect(posts.items.get('hello-world')).toMatchObject({ title: 'Hello, world', version: 1 })
    expect(cdn.invalidated).toEqual([])
    const byEditor = await call(handler, { ...at('hello-world'), body: edit, principal: editor })
    expect(byEditor.status).toBe(200)
    // An editor's revision keeps the author's name and ownership.
    expect(posts.items.get('hello-world')).toMatchObject({
      author: 'ada',
      authorSub: 'author-sub',
      version: 2,
    })
    const byAuthor = await call(handler, {
      ...at('hello-world'),
      body: { ...edit, version: 2 },
      principal: author,
    })
    expect(byAuthor.status).toBe(200)
  })

  it('lets only editors revise a post stored without an owner', async () => {
    const posts = fakePosts([aPost({ authorSub: undefined })])
    const handler = updatePostRoute({
      ...viaCdn,
      posts: posts.repository,
      cdn: recordingCdn().cdn,
      clock: fixedClock(),
    })
    expect((await call(handler, { ...at('hello-world'), body: edit, principal: author })).status).toBe(403)
    expect((await call(handler, { ...at('hello-world'), body: edit, principal: editor })).status).toBe(200)
  })
})
