import { describe, expect, it } from 'vitest'
import {
  aPost,
  author,
  call,
  commaGroup,
  editor,
  fakePhotos,
  fakePosts,
  fakeSigner,
  fixedClock,
  otherAuthor,
  reader,
  viaCdn,
} from '../../testing/fakes'
import { requestPhotoUploadRoute } from './route'

const setup = () => {
  const photos = fakePhotos()
  const handler = requestPhotoUploadRoute({
    ...viaCdn,
    posts: fakePosts([aPost()]).repository,
    photos: photos.repository,
    signer: fakeSigner,
    clock: fixedClock(),
    newId: () => '0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2c',
    maxBytes: 1_000_000,
  })
  return { photos, handler }
}
const request = (body: unknown, slug = 'hello-world') => ({
  method: 'POST',
  path: `/api/posts/${slug}/photos`,
  pathParameters: { slug },
  body,
})

describe('POST /api/posts/{slug}/photos', () => {
  it('records a pending photo and hands out a presigned PUT for that type and size', async () => {
    const { photos, handler } = setup()
    const answer = await call(handler, {
      ...request({ contentType: 'image/JPEG', contentLength: 2048, caption: 'Sunrise' }),
      principal: author,
    })
    expect(answer.status).toBe(201)
    const key = 'photos/hello-world/0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2c.jpg'
    expect(answer.body).toEqual({
      photoKey: key,
      upload: {
        url: `https://uploads.example/${key}?type=image%2Fjpeg&length=2048&expires=300`,
        method: 'PUT',
        headers: { 'content-type': 'image/jpeg', 'content-length': '2048', 'if-none-match': '*' },
        expiresAt: '2026-11-22T10:05:00.000Z',
      },
    })
    expect(photos.items.get(key)).toMatchObject({
      postSlug: 'hello-world',
      status: 'pending',
      uploadedAt: '2026-11-22T10:00:00.000Z',
      uploadedBy: 'author-sub',
      caption: 'Sunrise',
    })
  })

  it.each([
    [415, { contentType: 'image/svg+xml', contentLength: 10 }],
    [415, { contentType: 'text/html', contentLength: 10 }],
    [400, { contentType: 'image/png', contentLength: 1_000_001 }],
    [400, { contentType: 'image/png', contentLength: 0 }],
    [400, { contentType: 'image/png' }],
  ])('answers %i for %j and records nothing', async (status, body) => {
    const { photos, handler } = setup()
    expect((await call(handler, { ...request(body), principal: author })).status).toBe(status)
    expect(photos.items.size).toBe(0)
  })

  it('answers 404 for a post that does not exist, 403 for a reader, 401 anonymously', async () => {
    const { photos, handler } = setup()
    const body = { contentType: 'image/png', contentLength: 10 }
    expect((await call(handler, { ...request(body, 'missing'), principal: author })).status).toBe(404)
    expect((await call(handler, { ...request(body), principal: reader })).status).toBe(403)
    expect((await call(handler, request(body))).status).toBe(401)
    expect(photos.items.size).toBe(0)
  })

  it("lets only the post's author or an editor add photos; another author gets a 403 problem", async () => {
    const { photos, handler } = setup()
    const body = { contentType: 'image/jpeg', contentLength: 2048 }
    for (const principal of [otherAuthor, commaGroup]) {
      const denied = await call(handler, { ...request(body), principal })
      expect(denied.status, principal.username).toBe(403)
      expect(denied.headers['content-type']).toBe('application/problem+json')
    }
    expect(photos.items.size).toBe(0)
    expect((await call(handler, { ...request(body), principal: editor })).status).toBe(201)
    expect((await call(setup().handler, { ...request(body), principal: author })).status).toBe(201)
  })
})
