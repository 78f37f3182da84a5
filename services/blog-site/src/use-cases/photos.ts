import {
  ABANDONED_UPLOAD_MS,
  type Author,
  assertAuthorOrEditor,
  assertMayRevise,
  checkPhotoUpload,
  isVisiblePhoto,
  type PhotoItem,
  type PhotoUploadRequest,
  type PhotoView,
  photoKey,
} from '@app/domain/posts'
import type { Clock, PhotosRepository, PhotoUploadSigner, PostsRepository } from '../ports'
import { getPost } from './posts'

export const UPLOAD_URL_TTL_SECONDS = 300

export interface PhotoUploadTicket {
  photoKey: string
  upload: { url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string }
}

export interface PhotoUploadDeps {
  posts: PostsRepository
  photos: PhotosRepository
  signer: PhotoUploadSigner
  clock: Clock
  newId: () => string
  maxBytes: number
}

/**
 * Hands an author a presigned PUT for one photo of an existing post and records it as `pending`
 * first, so the thumbnailer always finds the item its S3 event refers to.
 */
export const requestPhotoUpload = async (
  slug: string,
  request: PhotoUploadRequest,
  author: Author,
  deps: PhotoUploadDeps,
): Promise<PhotoUploadTicket> => {
  assertAuthorOrEditor(author)
  const { contentType, extension } = checkPhotoUpload(request, deps.maxBytes)
  assertMayRevise(await getPost(slug, deps), author)
  const now = deps.clock.now()
  const key = photoKey(slug, deps.newId(), extension)
  await deps.photos.addPending({
    photoKey: key,
    postSlug: slug,
    uploadedAt: now.toISOString(),
    status: 'pending',
    contentType,
    contentLength: request.contentLength,
    uploadedBy: author.sub,
    ...(request.caption ? { caption: request.caption } : {}),
  })
  const url = await deps.signer.presignPut({
    key,
    contentType,
    contentLength: request.contentLength,
    expiresInSeconds: UPLOAD_URL_TTL_SECONDS,
  })
  return {
    photoKey: key,
    upload: {
      url,
      method: 'PUT',
      // Signed into the URL: send exactly these. `if-none-match: *` makes the URL good for one object.
      headers: {
        'content-type': contentType,
        'content-length': String(request.contentLength),
        'if-none-match': '*',
      },
      expiresAt: new Date(now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString(),
    },
  }
}

/**
 * Media the CDN serves, under these prefixes (see the CloudFront function). Thumbnails only:
 * originals keep the camera's EXIF (GPS position, serial), so the distribution has no origin for
 * them and no answer names them.
 */
export const MEDIA_PATHS = { thumbnails: '/media/thumbnails/' } as const

const toView = (photo: PhotoItem): PhotoView => ({
  photoKey: photo.photoKey,
  status: photo.status === 'ready' ? 'ready' : 'pending',
  ...(photo.caption ? { caption: photo.caption } : {}),
  ...(photo.width ? { width: photo.width } : {}),
  ...(photo.height ? { height: photo.height } : {}),
  thumbnails: (photo.thumbnails ?? [])
    .map((thumbnail) => ({
      width: thumbnail.width,
      url: MEDIA_PATHS.thumbnails + thumbnail.key,
      contentType: thumbnail.contentType,
    }))
    .sort((a, b) => a.width - b.width),
})

export const MAX_PHOTOS_PER_POST = 100

export const listPhotos = async (
  slug: string,
  deps: { posts: PostsRepository; photos: PhotosRepository; clock: Clock },
): Promise<{ items: PhotoView[]; pending: number }> => {
  await getPost(slug, deps)
  const now = deps.clock.now()
  const pendingSince = new Date(now.getTime() - ABANDONED_UPLOAD_MS).toISOString()
  // The newest photos, shown in the order the author uploaded them.
  const items = (await deps.photos.listVisibleByPost(slug, { limit: MAX_PHOTOS_PER_POST, pendingSince }))
    .filter((photo) => isVisiblePhoto(photo, now))
    .reverse()
    .map(toView)
  return { items, pending: items.filter((photo) => photo.status === 'pending').length }
}
