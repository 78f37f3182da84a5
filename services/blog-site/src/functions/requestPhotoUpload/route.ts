import { photoUploadRequestSchema, slugPathSchema } from '@app/domain/posts'
import { httpRoute } from '@app/runtime/http'
import type { BehindCdn } from '../../api/http'
import { type PhotoUploadDeps, requestPhotoUpload } from '../../use-cases/photos'

export const requestPhotoUploadRoute = (deps: PhotoUploadDeps & BehindCdn) =>
  httpRoute(
    {
      auth: true,
      origin: deps.origin,
      schemas: { path: slugPathSchema, body: photoUploadRequestSchema },
      maxBodyBytes: 2048,
    },
    async ({ path, body, principal }) => ({
      status: 201,
      body: await requestPhotoUpload(path.slug, body, principal, deps),
    }),
  )
