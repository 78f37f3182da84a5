import { ConflictError, PreconditionFailedError } from '@app/domain'
import type { PhotoItem, Post } from '@app/domain/posts'
import type { Subscriber } from '@app/domain/subscribers'
import type { Principal } from '@app/runtime/http'
import { lambdaContext, restEvent } from '@app/runtime/testing'
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda'
import { type BehindCdn, ORIGIN_VERIFY_HEADER } from '../api/http'
import type {
  Cdn,
  Clock,
  PageKey,
  PhotosRepository,
  PhotoUploadSigner,
  PostsRepository,
  SubscribersRepository,
} from '../ports'

/** In-memory ports with the same contracts as the DynamoDB adapters (conditions included). */
export const fakePosts = (initial: Post[] = []) => {
  const items = new Map(initial.map((post) => [post.slug, structuredClone(post)]))
  const repository: PostsRepository = {
    async get(slug) {
      const post = items.get(slug)
      return post && structuredClone(post)
    },
    async create(post) {
      if (items.has(post.slug)) throw new ConflictError(`A post with the slug "${post.slug}" already exists`)
      items.set(post.slug, structuredClone(post))
    },
    async replace(post, expectedVersion) {
      if (items.get(post.slug)?.version !== expectedVersion)
        throw new PreconditionFailedError('stale version')
      items.set(post.slug, structuredClone(post))
    },
    async listNewestFirst(limit, after?: PageKey) {
      const sorted = [...items.values()].sort(
        (a, b) => b.publishedAt.localeCompare(a.publishedAt) || b.slug.localeCompare(a.slug),
      )
      const start = after ? sorted.findIndex((post) => post.slug === after.slug) + 1 : 0
      const page = sorted.slice(start, start + limit).map(({ body: _body, ...summary }) => summary)
      const last = page.at(-1)
      const more = start + limit < sorted.length
      return {
        items: page,
        ...(more && last ? { next: { slug: last.slug, publishedAt: last.publishedAt } } : {}),
      }
    },
  }
  return { repository, items }
}

/** A stored subscriber (confirmed unless told otherwise), as the subscribe and confirm routes write it. */
export const aSubscriber = (overrides: Partial<Subscriber> = {}): Subscriber => ({
  email: 'ann@example.com',
  subscriberId: 'id-0000000000000000001',
  status: 'confirmed',
  subscribedAt: '2026-11-22T10:00:00.000Z',
  confirmationRound: 1,
  lastConfirmationAt: '2026-11-22T10:00:00.000Z',
  ...overrides,
})

export const fakeSubscribers = () => {
  const items = new Map<string, Subscriber>()
  const repository: SubscribersRepository = {
    async addIfAbsent(subscriber) {
      if (items.has(subscriber.email)) return false
      items.set(subscriber.email, structuredClone(subscriber))
      return true
    },
    async get(email) {
      const found = items.get(email)
      return found && structuredClone(found)
    },
    async renewConfirmation(email, round, now, expiresAt) {
      const found = items.get(email)
      if (found?.status !== 'pending' || found.confirmationRound !== round) return false
      items.set(email, {
        ...found,
        confirmationRound: round + 1,
        lastConfirmationAt: now.toISOString(),
        expiresAt,
      })
      return true
    },
    async confirm(subscriberId, now) {
      const found = [...items.values()].find((subscriber) => subscriber.subscriberId === subscriberId)
      if (!found) return 'not-found'
      if (found.status === 'confirmed') return 'already-confirmed'
      const { expiresAt: _, ...rest } = found
      items.set(found.email, { ...rest, status: 'confirmed', confirmedAt: now.toISOString() })
      return 'confirmed'
    },
    async removeById(subscriberId) {
      const found = [...items.values()].find((subscriber) => subscriber.subscriberId === subscriberId)
      if (!found) return false
      items.delete(found.email)
      return true
    },
  }
  return { repository, items }
}

export const fakePhotos = (initial: PhotoItem[] = []) => {
  const items = new Map<string, PhotoItem & Record<string, unknown>>(
    initial.map((photo) => [photo.photoKey, structuredClone(photo)]),
  )
  const repository: PhotosRepository = {
    async addPending(photo) {
      if (items.has(photo.photoKey)) throw new ConflictError('photo key taken')
      items.set(photo.photoKey, structuredClone(photo))
    },
    async listVisibleByPost(postSlug, { limit, pendingSince }) {
      return [...items.values()]
        .filter(
          (photo) =>
            photo.postSlug === postSlug &&
            (photo.status === 'ready' || (photo.status === 'pending' && photo.uploadedAt >= pendingSince)),
        )
        .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt))
        .slice(0, limit)
    },
  }
  return { repository, items }
}

export const fakeSigner: PhotoUploadSigner = {
  presignPut: async ({ key, contentType, contentLength, expiresInSeconds }) =>
    `https://uploads.example/${key}?type=${encodeURIComponent(contentType)}&length=${contentLength}&expires=${expiresInSeconds}`,
}

export const recordingCdn = () => {
  const invalidated: string[][] = []
  const cdn: Cdn = {
    invalidate: async (paths) => {
      invalidated.push([...paths])
    },
  }
  return { cdn, invalidated }
}

export const fixedClock = (iso = '2026-11-22T10:00:00.000Z'): Clock & { set(iso: string): void } => {
  let now = new Date(iso)
  return {
    now: () => new Date(now),
    set: (next) => {
      now = new Date(next)
    },
  }
}

export const author: Principal = { sub: 'author-sub', username: 'ada', groups: ['authors'] }
export const reader: Principal = { sub: 'reader-sub', username: 'bob', groups: [] }
/** Another member of `authors`: may write posts of their own, not rewrite ada's. */
export const otherAuthor: Principal = { sub: 'other-author-sub', username: 'eve', groups: ['authors'] }
/** A member of `editors`: may revise any post. */
export const editor: Principal = { sub: 'editor-sub', username: 'ed', groups: ['editors'] }
/** A single group whose name holds a comma: neither `authors` nor `editors`. */
export const commaGroup: Principal = { sub: 'comma-sub', username: 'mallory', groups: ['authors,editors'] }

export const aPost = (overrides: Partial<Post> = {}): Post => ({
  slug: 'hello-world',
  title: 'Hello, world',
  summary: 'The first post',
  body: 'First paragraph.\n\nSecond paragraph.',
  tags: ['intro'],
  author: 'ada',
  authorSub: 'author-sub',
  publishedAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
  version: 1,
  ...overrides,
})

/** The origin secret of unit tests: `call` sends it unless told the request comes `direct`. */
const TEST_ORIGIN_SECRET = 'test-origin-secret-0123456789abcdef'
export const viaCdn: BehindCdn = { origin: { header: ORIGIN_VERIFY_HEADER, values: [TEST_ORIGIN_SECRET] } }

export interface EventInput {
  method?: string
  path?: string
  pathParameters?: Record<string, string>
  query?: Record<string, string>
  headers?: Record<string, string>
  body?: unknown
  /** A raw body string, sent as is (for malformed input). */
  rawBody?: string
  principal?: Principal
  /** A call to the API's own URL, around the distribution: no origin secret header. */
  direct?: boolean
}

/** A REST API (v1) proxy event with this service's defaults and its authorizer's context. */
export const apiEvent = (input: EventInput = {}): APIGatewayProxyEvent => {
  const body = input.rawBody ?? (input.body === undefined ? null : JSON.stringify(input.body))
  return restEvent({
    method: input.method ?? 'GET',
    path: input.path ?? '/api/posts',
    pathParameters: input.pathParameters ?? null,
    query: input.query ?? null,
    headers: {
      ...(body !== null ? { 'Content-Type': 'application/json' } : {}),
      ...(input.direct ? {} : { 'X-Origin-Verify': TEST_ORIGIN_SECRET }),
      ...input.headers,
    },
    body,
    authorizer: input.principal
      ? {
          sub: input.principal.sub,
          username: input.principal.username ?? '',
          groups: JSON.stringify(input.principal.groups),
        }
      : null,
  })
}

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>

/** Calls a route like API Gateway would and parses the JSON answer. */
export const call = async (handler: Handler, input: EventInput = {}) => {
  const result = await handler(apiEvent(input), lambdaContext('blog-site-test'))
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  )
  return {
    status: result.statusCode,
    headers,
    // Tests reach into the answers freely; the route's own types are checked where they are built.
    body: result.body ? JSON.parse(result.body) : undefined,
  }
}
