import { z } from 'zod'
import { decodeS3EventKey, etagSchema, normaliseSequencer } from './keys'

/**
 * A queue message that can never become a photo upload (not JSON, not an S3 object-created event,
 * an undecodable key): retrying it cannot help, so consumers log it, count it and drop it.
 */
export class MalformedMessageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MalformedMessageError'
  }
}

/** One object-created event of the uploads bucket, decoded and validated. */
export interface PhotoUploadEvent {
  readonly bucket: string
  /** Decoded key (events carry it URL-encoded). */
  readonly key: string
  /** Quotes stripped (see `etagSchema`). */
  readonly etag: string
  readonly size: number
  /** Normalised (see `normaliseSequencer`): unique per upload of a key, ordered. */
  readonly sequencer: string
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
 * The uploads a queue message announces: S3 event → SNS (envelope or raw) → SQS message body.
 * Keys are URL-decoded here, at the edge, so nothing behind it sees an encoded key. S3's test
 * event announces nothing. Throws `MalformedMessageError` for anything else.
 */
export const parsePhotoUploadMessage = (body: string): PhotoUploadEvent[] => {
  const parsedBody = parseJson(body, 'SQS message body')
  const envelope = snsEnvelopeSchema.safeParse(parsedBody)
  const event = envelope.success ? parseJson(envelope.data.Message, 'SNS message') : parsedBody
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
