import { NotFoundError } from '@app/domain'
import {
  type Author,
  assertAuthor,
  assertAuthorOrEditor,
  assertMayRevise,
  type CreatePostRequest,
  type ListPostsQuery,
  newPost,
  type Post,
  type PostSummary,
  revisePost,
  type UpdatePostRequest,
} from '@app/domain/posts'
import type { CursorCodec } from '@app/runtime/http'
import type { Cdn, Clock, PostsRepository } from '../ports'

/** Binds list cursors to this listing, so a cursor of another API (or a forged one) is a 400. */
const FEED_CURSOR_BINDING = 'blog-site:posts:newest-first'

/** CDN paths whose cached answers a write to `slug` makes stale (query variants included). */
export const pathsToInvalidate = (slug: string): string[] => ['/api/posts', `/api/posts/${slug}`]

export interface PostPage {
  items: PostSummary[]
  nextCursor?: string
}

export const listPosts = async (
  query: ListPostsQuery,
  deps: { posts: PostsRepository; cursors: CursorCodec },
): Promise<PostPage> => {
  const after = query.cursor ? deps.cursors.decode(query.cursor, FEED_CURSOR_BINDING) : undefined
  const page = await deps.posts.listNewestFirst(query.limit, after)
  return {
    items: page.items,
    ...(page.next ? { nextCursor: deps.cursors.encode(page.next, FEED_CURSOR_BINDING) } : {}),
  }
}

export const getPost = async (slug: string, deps: { posts: PostsRepository }): Promise<Post> => {
  const post = await deps.posts.get(slug)
  if (!post) throw new NotFoundError(`No post has the slug "${slug}"`)
  return post
}

interface WriteDeps {
  posts: PostsRepository
  cdn: Cdn
  clock: Clock
}

export const createPost = async (request: CreatePostRequest, author: Author, deps: WriteDeps) => {
  assertAuthor(author)
  const post = newPost(request, author, deps.clock.now())
  await deps.posts.create(post)
  // After the write: a reader who fetched in between is served the new list on the next miss.
  await deps.cdn.invalidate(pathsToInvalidate(post.slug))
  return post
}

export const updatePost = async (
  slug: string,
  request: UpdatePostRequest,
  author: Author,
  deps: WriteDeps,
): Promise<Post> => {
  assertAuthorOrEditor(author)
  const current = await getPost(slug, deps)
  assertMayRevise(current, author)
  const revised = revisePost(current, request, deps.clock.now())
  await deps.posts.replace(revised, request.version)
  await deps.cdn.invalidate(pathsToInvalidate(slug))
  return revised
}
