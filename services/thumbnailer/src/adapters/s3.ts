import { PhotoProcessingError } from '@app/domain/photos'
import { GetObjectCommand, PutObjectCommand, type S3Client, S3ServiceException } from '@aws-sdk/client-s3'
import type { PhotoSource, ThumbnailStore } from '../ports'

/**
 * Thumbnails are immutable (their keys carry the source ETag), so browsers and the CDN may keep
 * them for a year without revalidating.
 */
export const THUMBNAIL_CACHE_CONTROL = 'public, max-age=31536000, immutable'

const statusOf = (error: S3ServiceException): number | undefined => error.$metadata?.httpStatusCode

/** Reads uploads conditionally on the ETag in the event, so we never thumbnail a later upload by mistake. */
export const s3PhotoSource = (s3: S3Client): PhotoSource => ({
  async read(upload) {
    try {
      const object = await s3.send(
        new GetObjectCommand({ Bucket: upload.bucket, Key: upload.key, IfMatch: `"${upload.etag}"` }),
      )
      if (!object.Body) throw new Error(`GetObject ${upload.key} returned no body`)
      // S3 answers 412 to a stale If-Match; stand-ins (s3rver) ignore the header, so check again.
      if (object.ETag && object.ETag.replaceAll('"', '') !== upload.etag) {
        await object.Body.transformToByteArray()
        return { superseded: true }
      }
      return { bytes: await object.Body.transformToByteArray(), contentType: object.ContentType }
    } catch (error) {
      if (error instanceof S3ServiceException) {
        if (statusOf(error) === 412) return { superseded: true }
        // 404 needs s3:ListBucket (granted on the photos prefix); without it S3 answers 403.
        if (error.name === 'NoSuchKey' || statusOf(error) === 404) {
          throw new PhotoProcessingError('source-missing', 'The photo was deleted before it was processed', {
            cause: error,
          })
        }
      }
      throw error
    }
  },
})

export const s3ThumbnailStore = (s3: S3Client, bucket: string): ThumbnailStore => ({
  async put({ key, body, contentType }) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        CacheControl: THUMBNAIL_CACHE_CONTROL,
      }),
    )
  },
})
