import {
  createPostRequestSchema,
  listPostsQuerySchema,
  NO_DISPLAY_NAME,
  PHOTO_CONTENT_TYPES,
  type Post,
  photoUploadRequestSchema,
  slugPathSchema,
  updatePostRequestSchema,
} from '@app/domain/posts'
import {
  createSubscriptionTokens,
  subscribeRequestSchema,
  unsubscribeRequestSchema,
} from '@app/domain/subscribers'
import {
  fuzzStatuses,
  type HttpRouteContract,
  httpVerdict,
  jsonBodies,
  jsonBody,
  oneTimeIn,
  validInput,
} from '@app/domain/testing'
import { useFunctionEnv } from '@app/local-cloud/testing'
import { createCursorCodec } from '@app/runtime/http'
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { MAX_POST_REQUEST_BYTES } from '../src/api/http'
import { createPostRoute } from '../src/functions/createPost/route'
import { getPostRoute } from '../src/functions/getPost/route'
import { listPhotosRoute } from '../src/functions/listPhotos/route'
import { listPostsRoute } from '../src/functions/listPosts/route'
import { requestPhotoUploadRoute } from '../src/functions/requestPhotoUpload/route'
import { subscribeRoute } from '../src/functions/subscribe/route'
import { unsubscribeRoute } from '../src/functions/unsubscribe/route'
import { updatePostRoute } from '../src/functions/updatePost/route'
import { aPost, author, call, type EventInput, reader, viaCdn } from '../src/testing/fakes'
import { standIns, unique } from './stand-ins'

/**
 * Every route gets 1,000 requests, in-process against DynamoDB Local and s3rver: most are valid
 * (generated from the route's own zod schema), the rest targeted mutations of valid ones and odd or
 * hostile input (wrong types, unknown fields, broken JSON, wrong content types, oversized bodies,
 * anonymous and non-author callers). Each answer must be exactly the status the contract gives
 * that request in the current state, never a 5xx; an accepted write stored exactly what it said
 * and a rejected one nothing. Each route must be accepted at least 20% of the time and answer
 * every 4xx it declares; one line per route reports the shares.
 */
const RUNS = 1000
const MIN_ACCEPTED = 0.2
const TIMEOUT = 180_000
const MAX_PHOTO_BYTES = 10 * 1024 * 1024
const cloud = useFunctionEnv()
const { outputs, db, posts, photos, subscribers, signer } = standIns(cloud)
const clock = { now: () => new Date() }
const noCdn = { invalidate: async () => {} }
const cursors = createCursorCodec('fuzz-cursor-secret-0123456789abcdef')
const forger = createCursorCodec('not-the-api-secret-0123456789abcdef')

const fuzzPost = aPost({ slug: unique('fuzz-post') })
/** Slugs the createPost run makes are under this prefix, so they never meet other tests' posts. */
const runPrefix = unique('fz')

let ids = 0
const linkTokens = createSubscriptionTokens('fuzz-subscription-token-key-0123456789abcdef')
const routes = {
  listPosts: listPostsRoute({ ...viaCdn, posts, cursors }),
  getPost: getPostRoute({ ...viaCdn, posts }),
  createPost: createPostRoute({ ...viaCdn, posts, cdn: noCdn, clock }),
  updatePost: updatePostRoute({ ...viaCdn, posts, cdn: noCdn, clock }),
  subscribe: subscribeRoute({
    ...viaCdn,
    subscribers,
    clock,
    newId: () => `fuzz-id-${runPrefix}-${++ids}`.replaceAll('.', '-').padEnd(22, '0'),
    policy: { pendingTtlSeconds: 3600, cooldownSeconds: 3600 },
  }),
  requestPhotoUpload: requestPhotoUploadRoute({
    ...viaCdn,
    posts,
    photos,
    signer,
    clock,
    newId: () => crypto.randomUUID(),
    maxBytes: MAX_PHOTO_BYTES,
  }),
  listPhotos: listPhotosRoute({ ...viaCdn, posts, photos, clock }),
  unsubscribe: unsubscribeRoute({ ...viaCdn, subscribers, tokens: linkTokens }),
}

// ---- odd input: what neither the schema nor a well-behaved client would send ----------------------
const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.constantFrom('', ' ', '../../etc/passwd', '<script>alert(1)</script>', '\u0000', 'null', '💥'),
  fc.emailAddress(),
)
const oddValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  oddString,
  fc.integer(),
  fc.double(),
  fc.constant(null),
)
const oddBody = fc.oneof(
  fc.dictionary(oddString, oddValue, { maxKeys: 6 }).map((body) => JSON.stringify(body)),
  oddValue.map((body) => JSON.stringify(body) ?? 'undefined'),
  oddString,
  fc.constantFrom('{', '{"slug":', '[1,2', '\uFEFF{}'),
)

const jsonType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/merge-patch+json',
)
const otherType = fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', '', 'json')
const contentType = fc.oneof({ weight: 9, arbitrary: jsonType }, { weight: 1, arbitrary: otherType })
const caller = fc.oneof(
  { weight: 8, arbitrary: fc.constant(author) },
  { weight: 1, arbitrary: fc.constant(reader) },
  { weight: 1, arbitrary: fc.constant(undefined) },
)

/** A body for `schema`: mostly valid, else one mutation away, odd, or valid but over `maxBytes`. */
const bodyFor = (schema: z.ZodType, maxBytes: number) =>
  jsonBodies(schema, { odd: oddBody, oversizeTo: maxBytes })

/** The slug in the path: mostly the fuzzed post, sometimes a well-formed unknown one, sometimes odd. */
const slugParam = fc.oneof(
  { weight: 17, arbitrary: fc.constant(fuzzPost.slug) },
  { weight: 2, arbitrary: validInput(slugPathSchema).map(({ slug }) => `no-such-${slug}`.slice(0, 80)) },
  { weight: 1, arbitrary: oddString },
)

// ---- the contract of the shared HTTP stack (its oracle lives with the arbitraries) -----------------
const shape = (input: EventInput) => ({
  authenticated: input.principal !== undefined,
  headers: input.headers ?? {},
  body: input.rawBody,
  query: input.query,
  pathParameters: input.pathParameters,
})
const stackVerdict = (route: HttpRouteContract, input: EventInput) => httpVerdict(route, shape(input))
const jsonOf = (rawBody: string | undefined) => jsonBody({ authenticated: true, body: rawBody })
const isAuthor = (input: EventInput) => input.principal?.groups.includes('authors') === true
const fieldOf = (input: EventInput, name: string): unknown => {
  const body = jsonOf(input.rawBody)
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
}
const storable = (key: unknown): key is string =>
  typeof key === 'string' && key.length > 0 && Buffer.byteLength(key) <= 2048

/** Runs `property` RUNS times, checks the shares, prints the route's one line. */
const fuzzRoute = <T>(
  name: string,
  declared: readonly number[],
  arbitrary: fc.Arbitrary<T>,
  property: (value: T) => Promise<number>,
) => fuzzStatuses(name, { runs: RUNS, minAccepted: MIN_ACCEPTED, declared }, arbitrary, property)

/** Calls the route and checks the answer is `expected`, with a problem document for errors. */
const answer = async (route: keyof typeof routes, input: EventInput, expected: number) => {
  const result = await call(routes[route], input)
  expect(
    result.status,
    `${route} ${JSON.stringify(input).slice(0, 500)} → ${JSON.stringify(result.body)}`,
  ).toBe(expected)
  if (result.status >= 400) expect(result.headers['content-type']).toBe('application/problem+json')
  return result
}

const readPost = async (slug: string) =>
  (await db.send(new GetCommand({ TableName: outputs.PostsTableName, Key: { slug }, ConsistentRead: true })))
    .Item
const readSubscriber = async (email: string) =>
  (
    await db.send(
      new GetCommand({ TableName: outputs.SubscribersTableName, Key: { email }, ConsistentRead: true }),
    )
  ).Item
const contentOf = (post: Record<string, unknown> | undefined) =>
  post && { title: post.title, summary: post.summary, body: post.body, tags: post.tags }

beforeAll(async () => {
  await posts.create(fuzzPost)
})

describe(`fuzzing every route (${RUNS} requests each, DynamoDB Local + s3rver)`, () => {
  it(
    'POST /api/posts: creates exactly the post asked for, 409 on a taken slug, nothing when it rejects',
    async () => {
      const spec = { auth: true, maxBodyBytes: MAX_POST_REQUEST_BYTES, body: createPostRequestSchema }
      const created = new Set<string>()
      const requests = fc.record({
        principal: caller,
        type: contentType,
        body: bodyFor(createPostRequestSchema, MAX_POST_REQUEST_BYTES),
        // One in eight requests reuses a slug that exists (the fuzzed post or one this run created).
        slug: fc.oneof(
          { weight: 7, arbitrary: fc.constant('fresh' as const) },
          { weight: 1, arbitrary: fc.constant('taken' as const) },
        ),
      })
      await fuzzRoute('POST /api/posts', [400, 401, 403, 409, 413, 415], requests, async (request) => {
        let rawBody = request.body
        const body = jsonOf(rawBody) as Record<string, unknown> | undefined
        if (
          body &&
          typeof body === 'object' &&
          typeof body.slug === 'string' &&
          rawBody.length < MAX_POST_REQUEST_BYTES
        ) {
          const slug =
            request.slug === 'taken'
              ? ([...created].at(-1) ?? fuzzPost.slug)
              : `${runPrefix}-${body.slug}`.slice(0, 80).replace(/-+$/, '')
          rawBody = JSON.stringify({ ...body, slug })
        }
        const input: EventInput = {
          method: 'POST',
          rawBody,
          headers: { 'Content-Type': request.type },
          ...(request.principal ? { principal: request.principal } : {}),
        }
        const slug = fieldOf(input, 'slug')
        const before = storable(slug) ? await readPost(slug) : undefined
        const expected = stackVerdict(spec, input) ?? (!isAuthor(input) ? 403 : before ? 409 : 201)
        const result = await answer('createPost', input, expected)
        if (!storable(slug)) return result.status
        const after = await readPost(slug)
        if (result.status === 201) {
          created.add(slug)
          const sent = createPostRequestSchema.parse(jsonOf(input.rawBody))
          expect(contentOf(after)).toEqual({
            title: sent.title,
            summary: sent.summary,
            body: sent.body,
            tags: sent.tags,
          })
          // The display name sent, or the neutral fallback: never the writer's username (`ada`).
          expect(after).toMatchObject({ slug, author: sent.authorName ?? NO_DISPLAY_NAME, version: 1 })
        } else expect(after).toEqual(before)
        return result.status
      })
    },
    TIMEOUT,
  )

  it(
    'PUT /api/posts/{slug}: replaces the content and bumps the version when accepted, changes nothing otherwise',
    async () => {
      const spec = {
        auth: true,
        maxBodyBytes: MAX_POST_REQUEST_BYTES,
        body: updatePostRequestSchema,
        path: slugPathSchema,
      }
      const requests = fc.record({
        principal: caller,
        type: contentType,
        body: bodyFor(updatePostRequestSchema, MAX_POST_REQUEST_BYTES),
        slug: slugParam,
        // Most edits are of the current version; the rest are stale (412) or the generated number.
        version: fc.oneof(
          { weight: 8, arbitrary: fc.constant('current' as const) },
          { weight: 1, arbitrary: fc.constant('stale' as const) },
          { weight: 1, arbitrary: fc.constant('as generated' as const) },
        ),
      })
      await fuzzRoute(
        'PUT /api/posts/{slug}',
        [400, 401, 403, 404, 412, 413, 415],
        requests,
        async (request) => {
          const before = storable(request.slug)
            ? ((await readPost(request.slug)) as Post | undefined)
            : undefined
          let rawBody = request.body
          const body = jsonOf(rawBody) as Record<string, unknown> | undefined
          if (
            before &&
            body &&
            typeof body === 'object' &&
            typeof body.version === 'number' &&
            request.version !== 'as generated' &&
            // Oversized bodies stay as generated: re-serialising would drop their padding.
            rawBody.length < MAX_POST_REQUEST_BYTES
          )
            rawBody = JSON.stringify({
              ...body,
              version: request.version === 'current' ? before.version : before.version - 1 || 2,
            })
          const input: EventInput = {
            method: 'PUT',
            rawBody,
            pathParameters: { slug: request.slug },
            headers: { 'Content-Type': request.type },
            ...(request.principal ? { principal: request.principal } : {}),
          }
          const expected =
            stackVerdict(spec, input) ??
            (!isAuthor(input)
              ? 403
              : !before
                ? 404
                : fieldOf(input, 'version') !== before.version
                  ? 412
                  : 200)
          const result = await answer('updatePost', input, expected)
          const after = storable(request.slug) ? await readPost(request.slug) : undefined
          if (result.status === 200) {
            const sent = updatePostRequestSchema.parse(jsonOf(input.rawBody))
            expect(contentOf(after)).toEqual({
              title: sent.title,
              summary: sent.summary,
              body: sent.body,
              tags: sent.tags,
            })
            expect(after).toMatchObject({ version: sent.version + 1, publishedAt: before?.publishedAt })
          } else expect(after).toEqual(before)
          return result.status
        },
      )
    },
    TIMEOUT,
  )

  it(
    'POST /api/posts/{slug}/photos: records exactly the pending photo it hands out a URL for, nothing otherwise',
    async () => {
      const spec = { auth: true, maxBodyBytes: 2048, body: photoUploadRequestSchema, path: slugPathSchema }
      // Valid for the schema and for the use case (an allowed type, a size under the limit), so the
      // success path is most of the run; the schema's own arbitrary adds the 415s and size 400s.
      const acceptable = photoUploadRequestSchema.extend({
        contentType: z.enum(Object.keys(PHOTO_CONTENT_TYPES) as [string, ...string[]]),
        // One in ten is over the limit (400).
        contentLength: z
          .int()
          .min(1)
          .max(MAX_PHOTO_BYTES * 1.1),
      })
      const requests = fc.record({
        principal: caller,
        type: contentType,
        body: fc.oneof(
          { weight: 3, arbitrary: bodyFor(acceptable, 2048) },
          { weight: 1, arbitrary: bodyFor(photoUploadRequestSchema, 2048) },
        ),
        slug: slugParam,
      })
      let accepted = 0
      await fuzzRoute(
        'POST /api/posts/{slug}/photos',
        [400, 401, 403, 404, 413, 415],
        requests,
        async (request) => {
          const input: EventInput = {
            method: 'POST',
            rawBody: request.body,
            pathParameters: { slug: request.slug },
            headers: { 'Content-Type': request.type },
            ...(request.principal ? { principal: request.principal } : {}),
          }
          const type = String(fieldOf(input, 'contentType')).trim().toLowerCase()
          const expected =
            stackVerdict(spec, input) ??
            (!isAuthor(input)
              ? 403
              : !Object.hasOwn(PHOTO_CONTENT_TYPES, type)
                ? 415
                : (fieldOf(input, 'contentLength') as number) > MAX_PHOTO_BYTES
                  ? 400
                  : (await readPost(request.slug))
                    ? 201
                    : 404)
          const result = await answer('requestPhotoUpload', input, expected)
          if (result.status === 201) {
            accepted++
            const sent = photoUploadRequestSchema.parse(jsonOf(input.rawBody))
            const { Item } = await db.send(
              new GetCommand({ TableName: outputs.PhotosTableName, Key: { photoKey: result.body.photoKey } }),
            )
            expect(Item).toEqual({
              photoKey: result.body.photoKey,
              postSlug: request.slug,
              status: 'pending',
              contentType: type,
              contentLength: sent.contentLength,
              uploadedBy: author.sub,
              uploadedAt: expect.any(String),
              ...(sent.caption ? { caption: sent.caption } : {}),
            })
            expect(result.body.upload.headers).toEqual({
              'content-type': type,
              'content-length': String(sent.contentLength),
              'if-none-match': '*',
            })
          }
          return result.status
        },
      )
      // Rejected requests recorded nothing: the post holds exactly the accepted requests' photos.
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
    },
    TIMEOUT,
  )

  it(
    'POST /api/subscribers: stores the normalised address once, nothing when it rejects',
    async () => {
      const spec = { auth: false, maxBodyBytes: 2048, body: subscribeRequestSchema }
      const subscribed: string[] = []
      const requests = fc.record({
        type: contentType,
        body: bodyFor(subscribeRequestSchema, 2048),
        // One in six is a repeat of an address already subscribed, spelt differently.
        repeat: fc.oneof(
          { weight: 5, arbitrary: fc.constant(false) },
          { weight: 1, arbitrary: fc.constant(true) },
        ),
      })
      await fuzzRoute('POST /api/subscribers', [400, 413, 415], requests, async (request) => {
        let rawBody = request.body
        const body = jsonOf(rawBody) as Record<string, unknown> | undefined
        const earlier = subscribed.at(-1)
        if (
          request.repeat &&
          earlier &&
          body &&
          typeof body === 'object' &&
          typeof body.email === 'string' &&
          rawBody.length < 2048
        )
          rawBody = JSON.stringify({ ...body, email: `  ${earlier.toUpperCase()} ` })
        const input: EventInput = { method: 'POST', rawBody, headers: { 'Content-Type': request.type } }
        const email = fieldOf(input, 'email')
        const key = typeof email === 'string' ? email.trim().toLowerCase() : undefined
        const before = storable(key) ? await readSubscriber(key) : undefined
        const result = await answer('subscribe', input, stackVerdict(spec, input) ?? 202)
        if (!storable(key)) return result.status
        const after = await readSubscriber(key)
        if (result.status === 202) {
          expect(result.body).toEqual({ email: key, status: 'pending' })
          // A repeat writes nothing: the first subscription (and its stream INSERT) stands.
          if (before) expect(after).toEqual(before)
          else {
            expect(after).toMatchObject({ email: key })
            subscribed.push(key)
          }
        } else expect(after).toEqual(before)
        return result.status
      })
    },
    TIMEOUT,
  )

  it(
    'POST /api/subscribers/unsubscribe: removes exactly the subscriber of a known token',
    async () => {
      const spec = { auth: false, maxBodyBytes: 1024, body: unsubscribeRequestSchema }
      const at = new Date().toISOString()
      const seeded = Array.from({ length: 100 }, (_, index) => ({
        email: `${unique('unsub')}-${index}@example.com`,
        subscriberId: `${unique('id')}-${index}`.replaceAll('.', '-').padEnd(22, '0'),
        status: 'confirmed' as const,
        subscribedAt: at,
        confirmationRound: 1,
        lastConfirmationAt: at,
      }))
      for (const subscriber of seeded) await subscribers.addIfAbsent(subscriber)
      const byToken = new Map(
        seeded.map((subscriber) => [linkTokens.unsubscribe(subscriber.subscriberId), subscriber.email]),
      )
      const signed = (token: unknown) => {
        try {
          linkTokens.verifyUnsubscribe(String(token))
          return true
        } catch {
          return false
        }
      }
      const requests = fc.record({
        type: contentType,
        body: fc.oneof(
          {
            weight: 2,
            arbitrary: fc.constantFrom(...byToken.keys()).map((token) => JSON.stringify({ token })),
          },
          { weight: 3, arbitrary: bodyFor(unsubscribeRequestSchema, 1024) },
        ),
      })
      await fuzzRoute('POST /api/subscribers/unsubscribe', [400, 413, 415], requests, async (request) => {
        const input: EventInput = {
          method: 'POST',
          rawBody: request.body,
          headers: { 'Content-Type': request.type },
        }
        const token = fieldOf(input, 'token')
        const email = typeof token === 'string' ? byToken.get(token) : undefined
        const before = email ? await readSubscriber(email) : undefined
        // The route also takes RFC 8058 form bodies: one that is not `List-Unsubscribe=One-Click`
        // with a token is a 400, not a 415. A well-formed token that is not ours (forged) is a 400.
        const form = /^application\/x-www-form-urlencoded/.test(request.type) && request.body !== ''
        const verdict = form
          ? Buffer.byteLength(request.body) > 1024
            ? 413
            : 400
          : stackVerdict(spec, input)
        const result = await answer('unsubscribe', input, verdict ?? (signed(token) ? 200 : 400))
        if (email) expect(await readSubscriber(email)).toEqual(result.status === 200 ? undefined : before)
        return result.status
      })
    },
    TIMEOUT,
  )

  it(
    'GET /api/posts: pages newest first with issued cursors, 400 for forged ones',
    async () => {
      const spec = { auth: false, maxBodyBytes: 16 * 1024, query: listPostsQuerySchema }
      const issued: string[] = []
      const requests = fc.record({
        query: validInput(listPostsQuerySchema).map(
          ({ limit }): Record<string, string> => (limit === undefined ? {} : { limit: String(limit) }),
        ),
        cursor: fc.oneof(
          { weight: 3, arbitrary: fc.constant('none' as const) },
          { weight: 3, arbitrary: fc.constant('issued' as const) },
          { weight: 1, arbitrary: fc.constant('forged' as const) },
          { weight: 1, arbitrary: fc.constant('odd' as const) },
        ),
        odd: oddString,
        extra: oneTimeIn(
          10,
          fc.dictionary(fc.oneof(oddString, fc.constant('limit')), oddString, { maxKeys: 2 }),
        ),
        body: oneTimeIn(5, oddBody),
        type: contentType,
      })
      await fuzzRoute('GET /api/posts', [400, 415], requests, async (request) => {
        const cursor = {
          none: undefined,
          issued: issued.at(-1),
          forged: forger.encode({ feed: 'published', slug: fuzzPost.slug }, 'blog-site:posts:newest-first'),
          odd: request.odd,
        }[request.cursor]
        const input: EventInput = {
          method: 'GET',
          query: { ...request.query, ...(cursor !== undefined ? { cursor } : {}), ...request.extra },
          headers: { 'Content-Type': request.type },
          ...(request.body !== undefined ? { rawBody: request.body } : {}),
        }
        const verdict = stackVerdict(spec, input)
        const known = input.query?.cursor === undefined || issued.includes(input.query.cursor)
        const result = await answer('listPosts', input, verdict ?? (known ? 200 : 400))
        if (result.status === 200) {
          const items = result.body.items as Post[]
          expect(items.length).toBeLessThanOrEqual(Number(input.query?.limit ?? 10))
          for (const item of items) expect(item).not.toHaveProperty('body')
          const times = items.map((item) => item.publishedAt)
          expect(times).toEqual([...times].sort().reverse())
          if (result.body.nextCursor) issued.push(result.body.nextCursor)
        }
        return result.status
      })
    },
    TIMEOUT,
  )

  it.each([
    ['GET /api/posts/{slug}', 'getPost'],
    ['GET /api/posts/{slug}/photos', 'listPhotos'],
  ] as const)(
    '%s: the stored post or its photos, 404 for an unknown slug',
    async (name, route) => {
      const spec = { auth: false, maxBodyBytes: 16 * 1024, path: slugPathSchema }
      const requests = fc.record({
        slug: slugParam,
        body: oneTimeIn(5, oddBody),
        type: contentType,
      })
      await fuzzRoute(name, [400, 404, 415], requests, async (request) => {
        const input: EventInput = {
          method: 'GET',
          pathParameters: { slug: request.slug },
          headers: { 'Content-Type': request.type },
          ...(request.body !== undefined ? { rawBody: request.body } : {}),
        }
        const stored = storable(request.slug) ? await readPost(request.slug) : undefined
        const result = await answer(route, input, stackVerdict(spec, input) ?? (stored ? 200 : 404))
        if (result.status === 200 && route === 'getPost')
          expect(result.body).toEqual((await posts.get(request.slug)) ?? {})
        if (result.status === 200 && route === 'listPhotos')
          expect(Array.isArray(result.body.items)).toBe(true)
        return result.status
      })
    },
    TIMEOUT,
  )
})
