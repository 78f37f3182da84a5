import { slugPathSchema } from '@app/domain/posts'
import { httpRoute } from '@app/runtime/http'
import { type BehindCdn, CACHE } from '../../api/http'
import type { Clock, PhotosRepository, PostsRepository } from '../../ports'
import { listPhotos } from '../../use-cases/photos'

export const listPhotosRoute = (
  deps: { posts: PostsRepository; photos: PhotosRepository; clock: Clock } & BehindCdn,
) =>
  httpRoute({ auth: false, origin: deps.origin, schemas: { path: slugPathSchema } }, async ({ path }) => {
    const photos = await listPhotos(path.slug, deps)
    return {
      status: 200,
      body: { items: photos.items },
      cacheControl: photos.pending ? CACHE.photosPending : CACHE.photosSettled,
    }
  })
