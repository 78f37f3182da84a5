import {
  ABANDONED_UPLOAD_MS,
  type Author,
  assertAuthorOrEditor,
  assertMayRevise,
  checkPhotoUpload,
  isVisiblePhoto,
  type PhotoUploadRequest,
  type PhotoView,
  photoKey,
  toPhotoView,
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
    .map(toPhotoView)
  return { items, pending: items.filter((photo) => photo.status === 'pending').length }
}
