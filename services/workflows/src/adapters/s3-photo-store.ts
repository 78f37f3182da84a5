import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import type { PhotoStore } from '../ports'

/** PhotoStore over S3: whole-object reads (images are capped at 50 MiB by @app/images), renditions in our bucket. */
export const createS3PhotoStore = (s3: S3Client, outputBucket: string): PhotoStore => ({
  async read({ bucket, key }) {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
      return await object.Body!.transformToByteArray()
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined
      throw error
    }
  },
  async write(key, body, contentType) {
    await s3.send(
      new PutObjectCommand({ Bucket: outputBucket, Key: key, Body: body, ContentType: contentType }),
    )
    return key
  },
})
