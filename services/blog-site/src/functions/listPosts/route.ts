import { listPostsQuerySchema } from '@app/domain/posts'
import { type CursorCodec, httpRoute } from '@app/runtime/http'
import { type BehindCdn, CACHE } from '../../api/http'
import type { PostsRepository } from '../../ports'
import { listPosts } from '../../use-cases/posts'

export const listPostsRoute = (deps: { posts: PostsRepository; cursors: CursorCodec } & BehindCdn) =>
  httpRoute(
    { auth: false, origin: deps.origin, schemas: { query: listPostsQuerySchema } },
    async ({ query }) => ({
      status: 200,
      body: await listPosts(query, deps),
      cacheControl: CACHE.posts,
    }),
  )
