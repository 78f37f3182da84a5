import {
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  PreconditionFailedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '@app/domain'
import {
  createPostRequestSchema,
  listPostsQuerySchema,
  photoUploadRequestSchema,
  postSchema,
  slugPathSchema,
  updatePostRequestSchema,
} from '@app/domain/posts'
import {
  confirmRequestSchema,
  subscribeRequestSchema,
  unsubscribeRequestSchema,
} from '@app/domain/subscribers'
import {
  ifNoneMatchHeader,
  internalProblemResponse,
  json,
  notModifiedResponse,
  openApiDocument,
  problemResponse,
  responseHeaders,
} from '@app/openapi'
import { PayloadTooLargeError, UnauthorizedError } from '@app/runtime/http'
import * as z from 'zod'

/**
 * The OpenAPI 3.1 document of the blog API, generated from the zod schemas its routes validate with
 * (`@app/domain/posts`, `@app/domain/subscribers`) plus the shapes they answer with. Checked in as
 * `functions/openapi/openapi.generated.json` (its test fails when the two drift) and served as is at
 * `/api/openapi.json`. Paths carry `/api`, as CloudFront routes them.
 */

const post = {
  slug: 'hello-world',
  title: 'Hello, world',
  summary: 'The first post',
  body: 'A paragraph.\n\nAnother paragraph.',
  tags: ['news'],
  author: 'ada',
  authorSub: '5f2b9c1e-7d3a-4e8b-9c0d-1a2b3c4d5e6f',
  publishedAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  version: 1,
}
const { body: _body, ...summary } = post
const slugInstance = `/api/posts/${post.slug}`

const postOut = postSchema.meta({ id: 'Post' })
export const postPageSchema = z
  .strictObject({
    items: z.array(postSchema.omit({ body: true }).meta({ id: 'PostSummary' })),
    nextCursor: z.string().optional().meta({ description: 'Pass as `cursor` for the next page' }),
  })
  .meta({ id: 'PostPage' })

export const photoUploadTicketSchema = z
  .strictObject({
    photoKey: z.string(),
    upload: z.strictObject({
      url: z.url().meta({ description: 'Presigned S3 PUT, valid until `expiresAt`' }),
      method: z.literal('PUT'),
      headers: z.record(z.string(), z.string()).meta({
        description:
          'Send exactly these with the PUT (they are signed); `if-none-match: *` makes the URL good for one object: a second PUT is a 412',
      }),
      expiresAt: z.iso.datetime(),
    }),
  })
  .meta({ id: 'PhotoUploadTicket' })

export const photoListSchema = z
  .strictObject({
    items: z.array(
      z
        .strictObject({
          photoKey: z.string(),
          status: z.enum(['pending', 'ready']),
          caption: z.string().optional(),
          width: z.int().positive().optional(),
          height: z.int().positive().optional(),
          thumbnails: z.array(
            z.strictObject({ width: z.int().positive(), url: z.string(), contentType: z.string() }),
          ),
        })
        .meta({ id: 'Photo' }),
    ),
  })
  .meta({ id: 'PhotoList' })

export const subscribedSchema = z
  .strictObject({ email: z.string(), status: z.literal('pending') })
  .meta({ id: 'Subscribed' })
export const confirmedSchema = z.strictObject({ status: z.literal('confirmed') }).meta({ id: 'Confirmed' })
export const unsubscribedSchema = z
  .strictObject({ status: z.literal('unsubscribed') })
  .meta({ id: 'Unsubscribed' })

const badRequest = (pointer: string, detail: string) =>
  problemResponse(
    'Invalid input (each offending field is named in `errors`)',
    new ValidationError('Invalid input', [{ pointer, detail }]),
  )
const unauthorized = problemResponse(
  'Missing, invalid or expired access token',
  new UnauthorizedError('A valid bearer token is required'),
)
const notFound = problemResponse(
  'No such post',
  new NotFoundError(`No post has the slug "${post.slug}"`),
  slugInstance,
)
const tooLarge = problemResponse(
  'Body too large',
  new PayloadTooLargeError('Request body exceeds 2048 bytes'),
)
const notJson = problemResponse(
  'Body is not JSON',
  new UnsupportedMediaTypeError('Request body must be JSON (Content-Type: application/json)'),
)
/** What a GET of one post (or its photos) answers besides 200. */
const slugReadProblems = {
  ...notModifiedResponse,
  ...badRequest('/path/slug', 'must be lower-case words joined by single hyphens'),
  ...notFound,
  ...internalProblemResponse,
}
const cacheable = { ...responseHeaders.etag, ...responseHeaders.cacheControl }

export const buildOpenApiDocument = () => {
  const doc = openApiDocument({
    title: 'Blog API',
    version: '1.0.0',
    description:
      'Posts (read by everyone, written by the `authors` group), their photos, and the newsletter. ' +
      'Public answers carry `ETag` and `Cache-Control`, so CloudFront answers most readers.',
    servers: [
      {
        url: 'https://{distribution}',
        description: 'The blog behind CloudFront (`/api/*` goes to the API)',
        variables: {
          distribution: { default: 'd111111abcdef8.cloudfront.net', description: 'The site domain' },
        },
      },
    ],
  })
  doc.route({
    method: 'get',
    path: '/api/posts',
    operationId: 'listPosts',
    summary: 'List posts, newest first',
    security: doc.public,
    request: { query: listPostsQuerySchema, headers: ifNoneMatchHeader },
    responses: {
      200: { description: 'One page', headers: cacheable, ...json(postPageSchema, { items: [summary] }) },
      ...notModifiedResponse,
      ...badRequest('/query/limit', 'Too big: expected number to be <=50'),
      ...internalProblemResponse,
    },
  })
  doc.route({
    method: 'get',
    path: '/api/posts/{slug}',
    operationId: 'getPost',
    summary: 'Read one post',
    security: doc.public,
    request: { params: slugPathSchema, headers: ifNoneMatchHeader },
    responses: {
      200: { description: 'The post', headers: cacheable, ...json(postOut, post) },
      ...slugReadProblems,
    },
  })
  doc.route({
    method: 'post',
    path: '/api/posts',
    operationId: 'createPost',
    summary: 'Publish a post (members of `authors`)',
    security: doc.security,
    request: {
      body: {
        ...json(createPostRequestSchema, {
          slug: post.slug,
          title: post.title,
          summary: post.summary,
          body: post.body,
        }),
        required: true,
      },
    },
    responses: {
      201: {
        description: 'Published',
        headers: responseHeaders.location(slugInstance),
        ...json(postOut, post),
      },
      ...badRequest('/body/title', 'must not be empty'),
      ...unauthorized,
      ...problemResponse(
        'Not a member of `authors`',
        new ForbiddenError('Only members of the "authors" group may do this'),
      ),
      ...problemResponse(
        'The slug is taken',
        new ConflictError(`A post with the slug "${post.slug}" already exists`),
        '/api/posts',
      ),
      ...tooLarge,
      ...notJson,
      ...internalProblemResponse,
    },
  })
  doc.route({
    method: 'put',
    path: '/api/posts/{slug}',
    operationId: 'updatePost',
    summary:
      'Revise a post (its author or an `editors` member): the whole content and the version you edited',
    security: doc.security,
    request: {
      params: slugPathSchema,
      body: {
        ...json(updatePostRequestSchema, {
          title: post.title,
          summary: post.summary,
          body: post.body,
          version: 1,
        }),
        required: true,
      },
    },
    responses: {
      200: { description: 'The revised post', ...json(postOut, { ...post, version: 2 }) },
      ...badRequest('/body/version', 'Invalid input: expected int, received undefined'),
      ...unauthorized,
      ...problemResponse(
        "Neither the post's author nor an editor",
        new ForbiddenError(`Only the post's author or a member of "editors" may change it`),
        slugInstance,
      ),
      ...notFound,
      ...problemResponse(
        '`version` is not the current one: read the post again and reapply the edit',
        new PreconditionFailedError('The post changed since version 1: fetch it again and reapply your edit'),
        slugInstance,
      ),
      ...tooLarge,
      ...notJson,
      ...internalProblemResponse,
    },
  })
  doc.route({
    method: 'post',
    path: '/api/posts/{slug}/photos',
    operationId: 'requestPhotoUpload',
    summary: 'Get a presigned upload for a photo of the post (its author or an editor)',
    security: doc.security,
    request: {
      params: slugPathSchema,
      body: {
        ...json(photoUploadRequestSchema, { contentType: 'image/jpeg', contentLength: 123456 }),
        required: true,
      },
    },
    responses: {
      201: {
        description: 'Upload with the returned URL and headers; the photo appears once processed',
        ...json(photoUploadTicketSchema, {
          photoKey: 'photos/hello-world/3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f.jpg',
          upload: {
            url: 'https://blog-site-dev-uploads.s3.amazonaws.com/photos/hello-world/3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f.jpg?X-Amz-Signature=0',
            method: 'PUT',
            headers: { 'content-type': 'image/jpeg', 'content-length': '123456', 'if-none-match': '*' },
            expiresAt: '2026-12-01T10:05:00.000Z',
          },
        }),
      },
      ...badRequest('/body/contentLength', 'must be at most 10485760'),
      ...unauthorized,
      ...problemResponse(
        'Not allowed to add photos to this post',
        new ForbiddenError(`Only the post's author or a member of "editors" may change it`),
      ),
      ...notFound,
      ...tooLarge,
      ...problemResponse(
        'Not JSON, or a photo type other than JPEG, PNG, WebP, GIF or AVIF',
        new UnsupportedMediaTypeError(
          'Photos must be one of image/jpeg, image/png, image/webp, image/gif, image/avif; got "image/svg+xml"',
        ),
      ),
      ...internalProblemResponse,
    },
  })
  doc.route({
    method: 'get',
    path: '/api/posts/{slug}/photos',
    operationId: 'listPhotos',
    summary: "The post's photos, oldest first",
    security: doc.public,
    request: { params: slugPathSchema, headers: ifNoneMatchHeader },
    responses: {
      200: {
        description: 'Its photos (short cache while any is pending)',
        headers: cacheable,
        ...json(photoListSchema, {
          items: [
            {
              photoKey: 'photos/hello-world/3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f.jpg',
              status: 'ready',
              width: 1200,
              height: 800,
              thumbnails: [
                {
                  width: 256,
                  url: '/media/thumbnails/photos/hello-world/3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f-256.jpg',
                  contentType: 'image/jpeg',
                },
              ],
            },
          ],
        }),
      },
      ...slugReadProblems,
    },
  })
  doc.route({
    method: 'post',
    path: '/api/subscribers',
    operationId: 'subscribe',
    summary: 'Subscribe to the newsletter (double opt-in: a confirmation email follows)',
    description:
      'A new, a pending and a confirmed address get the same answer: it tells no one who is subscribed. ' +
      'The welcome email follows the confirmation (`POST /api/subscribers/confirm`).',
    security: doc.public,
    request: {
      body: {
        ...json(subscribeRequestSchema, { email: 'reader@example.org', source: 'blog-footer' }),
        required: true,
      },
    },
    responses: {
      202: {
        description: 'Pending until the link of the confirmation email is used',
        ...json(subscribedSchema, { email: 'reader@example.org', status: 'pending' }),
      },
      ...badRequest('/body/email', 'must be an email address'),
      ...tooLarge,
      ...notJson,
      ...internalProblemResponse,
    },
  })
  doc.route({
    method: 'post',
    path: '/api/subscribers/confirm',
    operationId: 'confirmSubscription',
    summary: "Confirm a subscription with the token of its confirmation email's link",
    description:
      'A POST from the confirm page, never the link itself: mail scanners follow links and must confirm nobody.',
    security: doc.public,
    request: {
      body: { ...json(confirmRequestSchema, { token: 'c.bm90LWEtcmVhbA.c2lnbmF0dXJl' }), required: true },
    },
    responses: {
      200: {
        description: 'Confirmed: the welcome email follows',
        ...json(confirmedSchema, { status: 'confirmed' }),
      },
      ...badRequest('/body/token', 'must be the token of a link we sent'),
      ...problemResponse(
        'The subscription is gone (expired unconfirmed, or unsubscribed)',
        new NotFoundError('No pending subscription for this link: it expired or was cancelled'),
      ),
      ...problemResponse('Already confirmed', new ConflictError('This subscription is already confirmed')),
      ...problemResponse(
        'The link expired',
        new GoneError('This confirmation link has expired: subscribe again to get a new one'),
      ),
      ...tooLarge,
      ...notJson,
      ...internalProblemResponse,
    },
  })
  doc.route({
    method: 'post',
    path: '/api/subscribers/unsubscribe',
    operationId: 'unsubscribe',
    summary: "Unsubscribe with the token of an email's link",
    security: doc.public,
    request: {
      body: { ...json(unsubscribeRequestSchema, { token: 'u.bm90LWEtcmVhbA.c2lnbmF0dXJl' }), required: true },
    },
    responses: {
      200: {
        description: 'Unsubscribed (also for an unknown token)',
        ...json(unsubscribedSchema, { status: 'unsubscribed' }),
      },
      ...badRequest('/body/token', 'must be the token of a link we sent'),
      ...tooLarge,
      ...notJson,
      ...internalProblemResponse,
    },
  })
  return doc.generate()
}
