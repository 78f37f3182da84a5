import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { PhotoUploadSigner } from '../ports'

/**
 * Presigned PUTs into the uploads bucket. Content-Type and Content-Length are signed headers, so
 * S3 refuses an upload of another type or size than the one the API allowed. So is
 * `If-None-Match: *` (an S3 conditional write): one URL makes one object, and a second PUT with it
 * within its lifetime is a 412 that overwrites nothing and starts no second pipeline run.
 */
export const s3PhotoUploadSigner = (s3: S3Client, bucket: string): PhotoUploadSigner => ({
  presignPut: ({ key, contentType, contentLength, expiresInSeconds }) =>
    getSignedUrl(
      s3,
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        ContentType: contentType,
        ContentLength: contentLength,
        IfNoneMatch: '*',
      }),
      {
        expiresIn: expiresInSeconds,
        signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
      },
    ),
})
