import { z } from 'zod'
import { ForbiddenError } from '../errors'
import { slugSchema } from './slug'

/**
 * Blog posts: written rarely by authors (Cognito group `authors`), read often by everyone.
 * The body is plain text split into paragraphs on blank lines: readers' browsers render it with
 * `textContent`, so a post can never inject markup into the page.
 */

/** The Cognito group whose members may write posts and upload photos. */
export const AUTHORS_GROUP = 'authors'
/** The Cognito group whose members may revise (and add photos to) any post, keeping its author. */
export const EDITORS_GROUP = 'editors'

/**
 * The `feed` of a published post's item (the partition of blog-site's `byPublished` index): a post is
 * published exactly when its item carries it. welcome-mailer's newsletter reads the same value on
 * the posts table's stream, so the contract lives here.
 */
export const PUBLISHED_FEED = 'published'

/**
 * Whether a change of a post's item (a stream record's old and new images) publishes it: the item
 * gains `PUBLISHED_FEED`. An edit of a published post, a republish of the same item or a removal
 * publishes nothing, so it mails nobody.
 */
export const isPublication = (
  oldItem: { readonly feed?: unknown } | undefined,
  newItem: { readonly feed?: unknown } | undefined,
): boolean => newItem?.feed === PUBLISHED_FEED && oldItem?.feed !== PUBLISHED_FEED

export const MAX_POST_BODY_LENGTH = 100_000
const isForbiddenControl = (char: string) => {
  const code = char.charCodeAt(0)
  return (code < 0x20 && char !== '\t' && char !== '\n' && char !== '\r') || code === 0x7f
}
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    // Control characters other than tab/newline have no place in prose and break some renderers.
    .refine((value) => ![...value].some(isForbiddenControl), {
      message: 'must not contain control characters',
    })

const EMAIL_LIKE = /[^\s@]@[^\s@]/
const ACCOUNT_ID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The name readers see on an author's posts: trimmed, 1-60 characters, no control characters, and
 * nothing shaped like an email address or a Cognito account id (the pool's usernames are one or
 * the other), so a post can never show who signed in.
 */
export const displayNameSchema = text(60)
  .pipe(z.string().min(1, { message: 'must not be empty' }))
  .refine((value) => !EMAIL_LIKE.test(value), { message: 'must not look like an email address' })
  .refine((value) => !ACCOUNT_ID_LIKE.test(value), { message: 'must not look like an account id' })
  .refine((value) => ![...value].some((char) => char === '\n' || char === '\r' || char === '\t'), {
    message: 'must be one line',
  })

/** What a post without a display name shows: the publication's name, never the writer's account. */
export const NO_DISPLAY_NAME = 'Serverless Classics'

/**
 * The author name of a stored post as readers see it: its display name, or `NO_DISPLAY_NAME` for a
 * post stored without one (posts written before display names stored the Cognito username there).
 */
export const shownAuthor = (stored: string | undefined): string => {
  const parsed = displayNameSchema.safeParse(stored)
  return parsed.success ? parsed.data : NO_DISPLAY_NAME
}

export const postContentSchema = z.strictObject({
  title: text(200).pipe(z.string().min(1, { message: 'must not be empty' })),
  summary: text(500),
  body: text(MAX_POST_BODY_LENGTH).pipe(z.string().min(1, { message: 'must not be empty' })),
  tags: z.array(slugSchema.max(32)).max(10).default([]),
})
export type PostContent = z.output<typeof postContentSchema>

/** `POST /api/posts`; `authorName` is optional: without it the post shows `NO_DISPLAY_NAME`. */
export const createPostRequestSchema = postContentSchema.extend({
  slug: slugSchema,
  authorName: displayNameSchema.optional(),
})
export type CreatePostRequest = z.output<typeof createPostRequestSchema>

/** `PUT /api/posts/{slug}`: the whole content plus the version the author edited (optimistic lock). */
export const updatePostRequestSchema = postContentSchema.extend({
  version: z.int().min(1).max(1_000_000),
  /** A new display name; without it the post keeps the one it shows. */
  authorName: displayNameSchema.optional(),
})
export type UpdatePostRequest = z.output<typeof updatePostRequestSchema>

export const postSchema = postContentSchema.extend({
  slug: slugSchema,
  /** The author's display name as readers see it (`shownAuthor`), never their username or email. */
  author: z.string().min(1).max(128),
  /** The writer's Cognito `sub`: who may revise the post. Absent on posts written before ownership. */
  authorSub: z.string().min(1).max(128).optional(),
  publishedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.int().min(1),
})
export type Post = z.output<typeof postSchema>

/** What a list shows: everything but the body. */
export type PostSummary = Omit<Post, 'body'>
export const toSummary = ({ body: _body, ...summary }: Post): PostSummary => summary

/** Query of `GET /api/posts`. */
export const listPostsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  cursor: z.string().min(1).max(2048).optional(),
})
export type ListPostsQuery = z.output<typeof listPostsQuerySchema>

export const slugPathSchema = z.strictObject({ slug: slugSchema })

export interface Author {
  readonly sub: string
  readonly username?: string
  readonly groups: readonly string[]
}

/** Only members of `authors` write; everyone else authenticated gets a 403. */
export const assertAuthor = (principal: Author): void => {
  if (!principal.groups.includes(AUTHORS_GROUP))
    throw new ForbiddenError(`Only members of the "${AUTHORS_GROUP}" group may do this`)
}

/** Before any lookup: someone in neither `authors` nor `editors` changes no post (403, not 404). */
export const assertAuthorOrEditor = (principal: Author): void => {
  if (!principal.groups.includes(AUTHORS_GROUP) && !principal.groups.includes(EDITORS_GROUP))
    throw new ForbiddenError(`Only members of "${AUTHORS_GROUP}" or "${EDITORS_GROUP}" may do this`)
}

/**
 * Revising a post, or adding photos to it, is for its author (still in `authors`) or an editor.
 * A post without an owner (written before ownership was recorded) is the editors' alone.
 */
export const assertMayRevise = (post: Post, principal: Author): void => {
  if (principal.groups.includes(EDITORS_GROUP)) return
  if (
    principal.groups.includes(AUTHORS_GROUP) &&
    post.authorSub !== undefined &&
    post.authorSub === principal.sub
  )
    return
  throw new ForbiddenError(`Only the post's author or a member of "${EDITORS_GROUP}" may change it`)
}

export const newPost = (request: CreatePostRequest, author: Author, now: Date): Post => {
  const at = now.toISOString()
  const { authorName, ...content } = request
  return {
    ...content,
    author: authorName ?? NO_DISPLAY_NAME,
    authorSub: author.sub,
    publishedAt: at,
    updatedAt: at,
    version: 1,
  }
}

export const revisePost = (current: Post, request: UpdatePostRequest, now: Date): Post => ({
  ...current,
  title: request.title,
  summary: request.summary,
  body: request.body,
  tags: request.tags,
  author: request.authorName ?? current.author,
  updatedAt: now.toISOString(),
  version: current.version + 1,
})

export * from './photos'
export * from './slug'
