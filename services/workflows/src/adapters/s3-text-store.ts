import { PassThrough, type Readable } from 'node:stream'
import { ValidationError } from '@app/domain'
import { GetObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import type { TextStore } from '../ports'

/** 8 MiB parts, one in flight at a time: memory stays ~16 MiB whatever the text's size. */
const PART_BYTES = 8 * 1024 * 1024

/** TextStore over S3: streamed GetObject in, multipart upload out. */
export const createS3TextStore = (s3: S3Client, bucket: string): TextStore => ({
  async size(ref) {
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key }))
      return head.ContentLength ?? 0
    } catch (error) {
      if (error instanceof NotFound || (error as Error).name === 'NotFound') return undefined
      throw error
    }
  },

  async *read(ref) {
    const object = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }))
    // `fatal`: a binary upload must fail loudly, not be counted as U+FFFD "words".
    const decoder = new TextDecoder('utf-8', { fatal: true })
    try {
      for await (const bytes of object.Body as Readable) {
        const text = decoder.decode(bytes as Uint8Array, { stream: true })
        if (text) yield text
      }
      const rest = decoder.decode()
      if (rest) yield rest
    } catch (error) {
      if (
        error instanceof TypeError &&
        (error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA'
      )
        throw new ValidationError(
          'The text is not valid UTF-8',
          [{ pointer: '/input/source', detail: 'not UTF-8' }],
          {
            cause: error,
          },
        )
      throw error
    }
  },

  async write(key, chunks) {
    const body = new PassThrough()
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: key, Body: body, ContentType: 'text/plain; charset=utf-8' },
      partSize: PART_BYTES,
      queueSize: 1,
    })
    const done = upload.done()
    try {
      for await (const chunk of chunks) {
        if (!body.write(chunk, 'utf8')) await new Promise((resolve) => body.once('drain', resolve))
      }
      body.end()
    } catch (error) {
      body.destroy(error as Error)
      await upload.abort().catch(() => undefined)
      await done.catch(() => undefined)
      throw error
    }
    await done
    return { kind: 's3', bucket, key }
  },
})
