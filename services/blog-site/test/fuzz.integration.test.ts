import { useFunctionEnv } from '@app/local-cloud/testing'
import { createCursorCodec } from '@app/runtime/http'
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { createPostRoute } from '../src/functions/createPost/route'
import { getPostRoute } from '../src/functions/getPost/route'
import { listPhotosRoute } from '../src/functions/listPhotos/route'
import { listPostsRoute } from '../src/functions/listPosts/route'
import { requestPhotoUploadRoute } from '../src/functions/requestPhotoUpload/route'
import { subscribeRoute } from '../src/functions/subscribe/route'
import { unsubscribeRoute } from '../src/functions/unsubscribe/route'
import { updatePostRoute } from '../src/functions/updatePost/route'
import { aPost, author, call, type EventInput, reader } from '../src/testing/fakes'
import { standIns, unique } from './stand-ins'

/**
 * Every route gets >= 1,000 odd or hostile requests, in-process against DynamoDB Local and
 * s3rver: wrong types, unknown fields, broken JSON, wrong content types, huge and exotic strings,
 * anonymous and non-author callers. None may produce a 5xx, and a rejected request stores nothing.
 */
const RUNS = 1000
const cloud = useFunctionEnv()
const { outputs, db, posts, photos, subscribers, signer } = standIns(cloud)
const clock = { now: () => new Date() }
const noCdn = { invalidate: async () => {} }
const cursors = createCursorCodec('fuzz-cursor-secret-0123456789abcdef')

const fuzzPost = aPost({ slug: unique('fuzz-post') })
beforeAll(async () => {
  await posts.create(fuzzPost)
})

const routes = {
  listPosts: listPostsRoute({ posts, cursors }),
  getPost: getPostRoute({ posts }),
  createPost: createPostRoute({ posts, cdn: noCdn, clock }),
  updatePost: updatePostRoute({ posts, cdn: noCdn, clock }),
  subscribe: subscribeRoute({
    subscribers,
    clock,
    randomToken: () => 'fuzz-token-000000000000000000',
  }),
  requestPhotoUpload: requestPhotoUploadRoute({
    posts,
    photos,
    signer,
    clock,
    newId: () => crypto.randomUUID(),
    maxBytes: 10 * 1024 * 1024,
  }),
  listPhotos: listPhotosRoute({ posts, photos, clock }),
  unsubscribe: unsubscribeRoute({ subscribers }),
}

const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '\u0000',
    'null',
    '💥',
    'a'.repeat(5000),
  ),
  fc.emailAddress(),
)
const oddValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  oddString,
  fc.integer(),
  fc.double(),
  fc.constant(null),
)
const oddObject = fc.dictionary(
  fc.oneof(oddString, fc.constantFrom('email', 'slug', 'title', 'body', 'version', 'token')),
  oddValue,
  {
    maxKeys: 6,
  },
)
const principal = fc.constantFrom(undefined, reader, author)
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/merge-patch+json',
  '',
)
/** A body as a client might send it: JSON of anything, broken JSON, or nothing. */
const oddBody = fc.oneof(
  oddObject.map((body) => ({ rawBody: JSON.stringify(body) })),
  oddValue.map((body) => ({ rawBody: JSON.stringify(body) ?? 'undefined' })),
  oddString.map((rawBody) => ({ rawBody })),
  fc.constant({}),
)
const oddQuery = fc.option(
  fc.dictionary(fc.oneof(oddString, fc.constantFrom('limit', 'cursor')), oddString, { maxKeys: 3 }),
  {
    nil: undefined,
  },
)
const slugParam = fc.oneof(oddString, fc.constant(fuzzPost.slug), fc.constant('no-such-post'))

const request = (method: string) =>
  fc.record({ body: oddBody, query: oddQuery, slug: slugParam, principal, type: contentType }).map(
    ({ body, query, slug, principal: caller, type }): EventInput => ({
      method,
      ...body,
      ...(query ? { query } : {}),
      pathParameters: { slug },
      headers: { 'Content-Type': type },
      ...(caller ? { principal: caller } : {}),
    }),
  )

const neverFails = async (
  route: keyof typeof routes,
  method: string,
  check?: (input: EventInput, status: number) => Promise<void>,
) =>
  fc.assert(
    fc.asyncProperty(request(method), async (input) => {
      const answer = await call(routes[route], input)
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500)
      if (answer.status >= 400) expect(answer.headers['content-type']).toBe('application/problem+json')
      await check?.(input, answer.status)
    }),
    { numRuns: RUNS },
  )

const parsedBody = (input: EventInput): Record<string, unknown> | undefined => {
  try {
    const body: unknown = JSON.parse(input.rawBody ?? '')
    return body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

describe(`fuzzing every route (${RUNS} requests each, DynamoDB Local + s3rver)`, () => {
  it('GET /api/posts', () => neverFails('listPosts', 'GET'))
  it('GET /api/posts/{slug}', () => neverFails('getPost', 'GET'))
  it('GET /api/posts/{slug}/photos', () => neverFails('listPhotos', 'GET'))

  it('POST /api/subscribers stores nothing when it rejects', () =>
    neverFails('subscribe', 'POST', async (input, status) => {
      const email = parsedBody(input)?.email
      if (status < 400 || typeof email !== 'string' || !email.trim()) return
      const key = email.trim().toLowerCase()
      // Longer keys cannot exist in DynamoDB at all.
      if (Buffer.byteLength(key) > 2048) return
      const { Item } = await db.send(
        new GetCommand({ TableName: outputs.SubscribersTableName, Key: { email: key } }),
      )
      expect(Item).toBeUndefined()
    }))

  it('POST /api/subscribers/unsubscribe', () => neverFails('unsubscribe', 'POST'))

  it('POST /api/posts stores nothing when it rejects', () =>
    neverFails('createPost', 'POST', async (input, status) => {
      const slug = parsedBody(input)?.slug
      if (status < 400 || typeof slug !== 'string' || !slug || slug === fuzzPost.slug) return
      if (Buffer.byteLength(slug) > 2048) return
      const { Item } = await db.send(new GetCommand({ TableName: outputs.PostsTableName, Key: { slug } }))
      expect(Item).toBeUndefined()
    }))

  it('PUT /api/posts/{slug} leaves the post unchanged when it rejects', async () => {
    let expected = await posts.get(fuzzPost.slug)
    await neverFails('updatePost', 'PUT', async (_input, status) => {
      const stored = await posts.get(fuzzPost.slug)
      if (status < 400) expected = stored
      else expect(stored).toEqual(expected)
    })
  })

  it('POST /api/posts/{slug}/photos records a photo only when it hands out a URL', async () => {
    let accepted = 0
    await neverFails('requestPhotoUpload', 'POST', async (_input, status) => {
      if (status === 201) accepted++
    })
    const { Count } = await db.send(
      new QueryCommand({
        TableName: outputs.PhotosTableName,
        IndexName: 'byPost',
        KeyConditionExpression: 'postSlug = :slug',
        ExpressionAttributeValues: { ':slug': fuzzPost.slug },
        Select: 'COUNT',
      }),
    )
    expect(Count).toBe(accepted)
  })
})
