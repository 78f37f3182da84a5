import { listPostsQuerySchema } from '@app/domain/posts'
import { type CursorCodec, httpRoute } from '@app/runtime/http'
import { CACHE } from '../../api/http'
import type { PostsRepository } from '../../ports'
import { listPosts } from '../../use-cases/posts'

export const listPostsRoute = (deps: { posts: PostsRepository; cursors: CursorCodec }) =>
  httpRoute({ auth: false, schemas: { query: listPostsQuerySchema } }, async ({ query }) => ({
    status: 200,
    body: await listPosts(query, deps),
    cacheControl: CACHE.posts,
  }))
