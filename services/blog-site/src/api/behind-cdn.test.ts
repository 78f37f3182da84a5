import { createSubscriptionTokens } from '@app/domain/subscribers'
import { createCursorCodec } from '@app/runtime/http'
import { describe, expect, it } from 'vitest'
import { confirmSubscriptionRoute } from '../functions/confirmSubscription/route'
import { createPostRoute } from '../functions/createPost/route'
import { getPostRoute } from '../functions/getPost/route'
import { listPhotosRoute } from '../functions/listPhotos/route'
import { listPostsRoute } from '../functions/listPosts/route'
import { openApiRoute } from '../functions/openapi/route'
import { requestPhotoUploadRoute } from '../functions/requestPhotoUpload/route'
import { subscribeRoute } from '../functions/subscribe/route'
import { unsubscribeRoute } from '../functions/unsubscribe/route'
import { updatePostRoute } from '../functions/updatePost/route'
import {
  aPost,
  author,
  call,
  type EventInput,
  fakePhotos,
  fakePosts,
  fakeSigner,
  fakeSubscribers,
  fixedClock,
  recordingCdn,
  viaCdn,
} from '../testing/fakes'

/**
 * Every route of the API answers only what came through the distribution: a call to the API's
 * own URL (no `X-Origin-Verify`, or a wrong value) is a 403 problem, and no port is touched.
 */
const posts = fakePosts([aPost()])
const subscribers = fakeSubscribers()
const clock = fixedClock()
const tokens = createSubscriptionTokens('test-only-subscription-token-key-0123456789')
const cdn = recordingCdn()
const stored = () => structuredClone([[...posts.items], [...subscribers.items], cdn.invalidated])
const post = { slug: 'direct-post', title: 'Direct', summary: 'S', body: 'B', tags: [] }
const routes: [string, ReturnType<typeof openApiRoute>, EventInput][] = [
  ['GET /api/openapi.json', openApiRoute(viaCdn), { path: '/api/openapi.json' }],
  [
    'GET /api/posts',
    listPostsRoute({ ...viaCdn, posts: posts.repository, cursors: createCursorCodec('k'.repeat(32)) }),
    {},
  ],
  [
    'GET /api/posts/{slug}',
    getPostRoute({ ...viaCdn, posts: posts.repository }),
    { pathParameters: { slug: 'hello-world' } },
  ],
  [
    'POST /api/posts',
    createPostRoute({ ...viaCdn, posts: posts.repository, cdn: cdn.cdn, clock }),
    { method: 'POST', body: post, principal: author },
  ],
  [
    'PUT /api/posts/{slug}',
    updatePostRoute({ ...viaCdn, posts: posts.repository, cdn: cdn.cdn, clock }),
    {
      method: 'PUT',
      pathParameters: { slug: 'hello-world' },
      body: { ...post, slug: undefined, version: 1 },
      principal: author,
    },
  ],
  [
    'POST /api/posts/{slug}/photos',
    requestPhotoUploadRoute({
      ...viaCdn,
      posts: posts.repository,
      photos: fakePhotos().repository,
      signer: fakeSigner,
      clock,
      newId: () => '0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2c',
      maxBytes: 1_000_000,
    }),
    {
      method: 'POST',
      pathParameters: { slug: 'hello-world' },
      body: { contentType: 'image/jpeg', contentLength: 10 },
      principal: author,
    },
  ],
  [
    'GET /api/posts/{slug}/photos',
    listPhotosRoute({ ...viaCdn, posts: posts.repository, photos: fakePhotos().repository, clock }),
    { pathParameters: { slug: 'hello-world' } },
  ],
  [
    'POST /api/subscribers',
    subscribeRoute({
      ...viaCdn,
      subscribers: subscribers.repository,
      clock,
      newId: () => 'id-0000000000000000009',
      policy: { pendingTtlSeconds: 86_400, cooldownSeconds: 3600 },
    }),
    { method: 'POST', body: { email: 'direct@example.com' } },
  ],
  [
    'POST /api/subscribers/confirm',
    confirmSubscriptionRoute({ ...viaCdn, subscribers: subscribers.repository, clock, tokens }),
    { method: 'POST', body: { token: 'c.x' } },
  ],
  [
    'POST /api/subscribers/unsubscribe',
    unsubscribeRoute({ ...viaCdn, subscribers: subscribers.repository, tokens }),
    { method: 'POST', body: { token: 'u.x' } },
  ],
]

describe.each(routes)('%s behind the distribution', (_, handler, input) => {
  it.each([
    ['without the origin header', { direct: true }],
    ['with a wrong value', { headers: { 'X-Origin-Verify': 'test-origin-secret-0123456789abcdeX' } }],
  ])('answers a call %s with a 403 problem and touches nothing', async (_, variant) => {
    const before = stored()
    const answer = await call(handler, { ...input, ...variant })
    expect(answer.status).toBe(403)
    expect(answer.headers['content-type']).toBe('application/problem+json')
    expect(answer.body).toMatchObject({ type: '/problems/forbidden', status: 403 })
    expect(stored()).toEqual(before)
  })

  it('passes the check with the header the distribution adds', async () => {
    expect((await call(handler, input)).status).not.toBe(403)
  })
})
