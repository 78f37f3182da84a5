import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { FileStore } from '../ports'

/**
 * FileStore on S3 presigned URLs. Uploads are presigned PUTs with Content-Type and Content-Length
 * among the *signed* headers: real S3 recomputes the signature over the request it receives, so a
 * client sending another type or a different size gets 403 SignatureDoesNotMatch. (A presigned POST
 * with a content-length-range would allow "up to N bytes"; an exact signed size is stricter and
 * keeps the client a plain PUT.) s3rver does not check signatures: locally the limits are enforced
 * only by our validation of the request for the URL.
 */
export const createS3FileStore = (
  s3: S3Client,
  options: { bucket: string; expiresInSeconds: number; now?: () => Date },
): FileStore => {
  const now = options.now ?? (() => new Date())
  const expiresAt = () => new Date(now().getTime() + options.expiresInSeconds * 1000)
  // The presigner is released a few versions behind client-s3; their smithy types differ only nominally.
  const sign = (
    command: PutObjectCommand | GetObjectCommand | DeleteObjectCommand,
    signableHeaders?: Set<string>,
  ) =>
    getSignedUrl(s3, command as unknown as Parameters<typeof getSignedUrl>[1], {
      expiresIn: options.expiresInSeconds,
      ...(signableHeaders ? { signableHeaders } : {}),
    })
  return {
    async presignUpload(key, contentType, size) {
      const url = await sign(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key,
          ContentType: contentType,
          ContentLength: size,
        }),
        new Set(['content-type', 'content-length']),
      )
      return {
        method: 'PUT',
        url,
        headers: { 'content-type': contentType, 'content-length': String(size) },
        expiresAt: expiresAt(),
      }
    },
    async presignDownload(key) {
      const url = await sign(new GetObjectCommand({ Bucket: options.bucket, Key: key }))
      return { method: 'GET', url, headers: {}, expiresAt: expiresAt() }
    },
    async presignDelete(key) {
      const url = await sign(new DeleteObjectCommand({ Bucket: options.bucket, Key: key }))
      return { method: 'DELETE', url, headers: {}, expiresAt: expiresAt() }
    },
    async exists(key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: options.bucket, Key: key }))
        return true
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
        if (status === 404 || (error as Error).name === 'NotFound') return false
        throw error
      }
    },
    async list(prefix, limit, after) {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: options.bucket,
          Prefix: prefix,
          MaxKeys: limit,
          ...(after ? { StartAfter: after } : {}),
        }),
      )
      const items = (page.Contents ?? []).flatMap((object) =>
        object.Key
          ? [{ key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) }]
          : [],
      )
      const last = items.at(-1)
      return { items, ...(page.IsTruncated && last ? { next: last.key } : {}) }
    },
  }
}
