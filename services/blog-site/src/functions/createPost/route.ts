import { createPostRequestSchema } from '@app/domain/posts'
import { httpRoute } from '@app/runtime/http'
import { type BehindCdn, MAX_POST_REQUEST_BYTES } from '../../api/http'
import type { Cdn, Clock, PostsRepository } from '../../ports'
import { createPost } from '../../use-cases/posts'

export const createPostRoute = (deps: { posts: PostsRepository; cdn: Cdn; clock: Clock } & BehindCdn) =>
  httpRoute(
    {
      auth: true,
      origin: deps.origin,
      schemas: { body: createPostRequestSchema },
      maxBodyBytes: MAX_POST_REQUEST_BYTES,
    },
    async ({ body, principal }) => {
      const post = await createPost(body, principal, deps)
      return { status: 201, body: post, headers: { location: `/api/posts/${post.slug}` } }
    },
  )
