import { slugPathSchema } from '@app/domain/posts'
import { httpRoute } from '@app/runtime/http'
import { type BehindCdn, CACHE } from '../../api/http'
import type { PostsRepository } from '../../ports'
import { getPost } from '../../use-cases/posts'

export const getPostRoute = (deps: { posts: PostsRepository } & BehindCdn) =>
  httpRoute({ auth: false, origin: deps.origin, schemas: { path: slugPathSchema } }, async ({ path }) => ({
    status: 200,
    body: await getPost(path.slug, deps),
    cacheControl: CACHE.posts,
  }))
