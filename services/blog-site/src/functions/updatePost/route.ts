import { slugPathSchema, updatePostRequestSchema } from '@app/domain/posts'
import { httpRoute } from '@app/runtime/http'
import { type BehindCdn, MAX_POST_REQUEST_BYTES } from '../../api/http'
import type { Cdn, Clock, PostsRepository } from '../../ports'
import { updatePost } from '../../use-cases/posts'

export const updatePostRoute = (deps: { posts: PostsRepository; cdn: Cdn; clock: Clock } & BehindCdn) =>
  httpRoute(
    {
      auth: true,
      origin: deps.origin,
      schemas: { path: slugPathSchema, body: updatePostRequestSchema },
      maxBodyBytes: MAX_POST_REQUEST_BYTES,
    },
    async ({ path, body, principal }) => ({
      status: 200,
      body: await updatePost(path.slug, body, principal, deps),
    }),
  )
