import type { PhotoItem } from '@app/domain/posts'
import { describe, expect, it } from 'vitest'
import { aPost, call, fakePhotos, fakePosts, fixedClock, viaCdn } from '../../testing/fakes'
import { listPhotosRoute } from './route'

const key = (n: number) => `photos/hello-world/0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2${n}.jpg`
const ready = {
  photoKey: key(1),
  postSlug: 'hello-world',
  uploadedAt: '2026-11-22T09:00:00.000Z',
  status: 'ready' as const,
  width: 4000,
  height: 3000,
  thumbnails: [
    { width: 800, key: `${key(1)}-800.webp`, contentType: 'image/webp' },
    { width: 256, key: `${key(1)}-256.webp`, contentType: 'image/webp' },
  ],
}
const pending = {
  ...ready,
  photoKey: key(2),
  uploadedAt: '2026-11-22T09:59:00.000Z',
  status: 'pending' as const,
}
const abandoned = { ...pending, photoKey: key(3), uploadedAt: '2026-11-22T07:00:00.000Z' }
const failed = { ...ready, photoKey: key(4), status: 'failed' as const }
const { thumbnails: _thumbnails, width: _width, height: _height, ...bare } = pending

const handler = (photos: PhotoItem[]) =>
  listPhotosRoute({
    ...viaCdn,
    posts: fakePosts([aPost()]).repository,
    photos: fakePhotos(photos).repository,
    clock: fixedClock(),
  })
const at = { path: '/api/posts/hello-world/photos', pathParameters: { slug: 'hello-world' } }

describe('GET /api/posts/{slug}/photos', () => {
  it('shows ready photos with thumbnails smallest first, and recent pending ones', async () => {
    const answer = await call(handler([ready, bare, abandoned, failed]), at)
    expect(answer.status).toBe(200)
    expect(answer.body.items).toEqual([
      {
        photoKey: key(1),
        status: 'ready',
        width: 4000,
        height: 3000,
        thumbnails: [
          { width: 256, url: `/media/thumbnails/${key(1)}-256.webp`, contentType: 'image/webp' },
          { width: 800, url: `/media/thumbnails/${key(1)}-800.webp`, contentType: 'image/webp' },
        ],
      },
      { photoKey: key(2), status: 'pending', thumbnails: [] },
    ])
  })

  it('never hands readers an original: no URL of the uploads bucket in the answer', async () => {
    const answer = await call(handler([ready, bare]), at)
    expect(JSON.stringify(answer.body)).not.toContain('/media/uploads/')
  })

  it('is cached briefly while a thumbnail is pending, longer once all are ready', async () => {
    const polling = await call(handler([ready, bare]), at)
    const settled = await call(handler([ready]), at)
    expect(polling.headers['cache-control']).toBe('public, max-age=5, s-maxage=5')
    expect(settled.headers['cache-control']).toBe('public, max-age=60, s-maxage=60')
  })

  it('answers 404 for an unknown post', async () => {
    expect((await call(handler([]), { pathParameters: { slug: 'nope' } })).status).toBe(404)
  })
})
