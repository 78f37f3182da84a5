import { decodeS3EventKey, etagSchema, normaliseSequencer } from '@app/domain/photos'
import type { SQSRecord } from 'aws-lambda'
import { z } from 'zod'
import type { PhotoUpload } from './ports'

/** A message that can never become a photo upload: retrying it cannot help. */
export class MalformedMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MalformedMessageError'
  }
}

/** The SNS envelope SQS receives when the subscription does not use raw message delivery. */
const snsEnvelopeSchema = z.object({ Type: z.literal('Notification'), Message: z.string() })

/** S3 sends this once when a notification configuration is created; it names no object. */
const s3TestEventSchema = z.object({ Event: z.literal('s3:TestEvent') })

const s3EventSchema = z.object({
  Records: z
    .array(
      z.object({
        eventSource: z.literal('aws:s3'),
        eventName: z.string().startsWith('ObjectCreated:'),
        s3: z.object({
          bucket: z.object({ name: z.string().min(1) }),
          object: z.object({
            key: z.string().min(1),
            size: z.int().nonnegative(),
            eTag: etagSchema,
            sequencer: z.string().regex(/^[0-9A-Fa-f]{1,64}$/),
          }),
        }),
      }),
    )
    .min(1),
})

const parseJson = (text: string, what: string): unknown => {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new MalformedMessageError(`${what} is not JSON`, { cause: error })
  }
}

/**
 * The uploads an SQS message announces: S3 event → SNS (envelope or raw) → SQS. Keys are
 * URL-decoded here, at the edge, so nothing behind it sees an encoded key.
 */
export const parsePhotoUploads = (record: Pick<SQSRecord, 'body'>): PhotoUpload[] => {
  const body = parseJson(record.body, 'SQS message body')
  const envelope = snsEnvelopeSchema.safeParse(body)
  const event = envelope.success ? parseJson(envelope.data.Message, 'SNS message') : body
  if (s3TestEventSchema.safeParse(event).success) return []
  const parsed = s3EventSchema.safeParse(event)
  if (!parsed.success) {
    throw new MalformedMessageError(
      `Not an S3 object-created event: ${parsed.error.issues[0]?.message ?? ''}`,
    )
  }
  return parsed.data.Records.map(({ s3 }) => {
    const key = decodeS3EventKey(s3.object.key)
    if (key === undefined) throw new MalformedMessageError('S3 event key is not URL-encoded UTF-8')
    return {
      bucket: s3.bucket.name,
      key,
      etag: s3.object.eTag,
      size: s3.object.size,
      sequencer: normaliseSequencer(s3.object.sequencer),
    }
  })
}
