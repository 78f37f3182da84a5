import {
  classifyFailure,
  declaredFormat,
  type FailedPhoto,
  MAX_S3_KEY_BYTES,
  PHOTO_PREFIX,
  type PhotoFailureReason,
  PhotoProcessingError,
  type PhotoThumbnail,
  staleness,
  THUMBNAIL_EXTENSIONS,
  type ThumbnailFormat,
  thumbnailKey,
  utf8Bytes,
} from '@app/domain/photos'
import type { Imaging, PhotoRecords, PhotoSource, PhotoUpload, SaveOutcome, ThumbnailStore } from '../ports'

export interface ThumbnailPhotoDeps {
  readonly source: PhotoSource
  readonly store: ThumbnailStore
  readonly records: PhotoRecords
  readonly imaging: Imaging
  readonly clock: { now(): Date }
  readonly settings: {
    readonly widths: readonly number[]
    readonly format: ThumbnailFormat
    readonly quality: number
    readonly maxInputBytes: number
  }
}

/** Where this delivery stands among its attempts (SQS `ApproximateReceiveCount`). */
export interface Attempt {
  readonly number: number
  /** The queue's `maxReceiveCount`: after this attempt the message goes to the dead-letter queue. */
  readonly max: number
}

/**
 * What happened to one upload. Everything but a thrown error acknowledges the message:
 * - `ready` / `failed`: the item now holds the result (`failed` carries the reason);
 * - `duplicate`: this upload already has a result (a redelivered message): no work done;
 * - `superseded`: a later upload under the same key exists: its own event does the work;
 * - `no-record`: no item for the key (not uploaded through the blog, or deleted since).
 */
export type ThumbnailOutcome =
  | { readonly status: 'ready'; readonly thumbnails: readonly PhotoThumbnail[] }
  | { readonly status: 'failed'; readonly reason: PhotoFailureReason }
  | { readonly status: 'duplicate' | 'superseded' | 'no-record' }

const fromSave = (outcome: SaveOutcome): ThumbnailOutcome | undefined =>
  outcome === 'missing'
    ? { status: 'no-record' }
    : outcome === 'superseded'
      ? { status: 'superseded' }
      : undefined

/**
 * One upload → thumbnails in the thumbnails bucket and a result on the photo's item. Safe to run
 * any number of times for one upload, in any order with other uploads of the same key: output keys
 * derive from the source key and ETag, and the item update is conditional on the S3 sequencer.
 * Throws only when another attempt could help (the queue then redelivers the message).
 */
export const thumbnailPhoto = async (
  upload: PhotoUpload,
  attempt: Attempt,
  deps: ThumbnailPhotoDeps,
): Promise<ThumbnailOutcome> => {
  const item = await deps.records.get(upload.key)
  if (!item) return { status: 'no-record' }
  const seen = staleness(item, upload)
  if (seen !== 'new') return { status: seen }

  const fail = async (reason: PhotoFailureReason, detail: string): Promise<ThumbnailOutcome> => {
    const result: FailedPhoto = {
      status: 'failed',
      etag: upload.etag,
      sourceSequencer: upload.sequencer,
      processedAt: deps.clock.now().toISOString(),
      reason,
      reasonDetail: detail.slice(0, 300),
      size: upload.size,
    }
    return fromSave(await deps.records.save(upload.key, result)) ?? { status: 'failed', reason }
  }

  try {
    return await makeAndSave(upload, deps)
  } catch (error) {
    const verdict = classifyFailure(error)
    if (!verdict.retryable) return fail(verdict.reason, verdict.detail)
    // Out of attempts: say so on the item (the blog stops showing "processing"), then let the
    // message go to the dead-letter queue, where a redrive can still succeed and overwrite this.
    if (attempt.number >= attempt.max) await fail(verdict.reason, verdict.detail).catch(() => undefined)
    throw error
  }
}

const makeAndSave = async (upload: PhotoUpload, deps: ThumbnailPhotoDeps): Promise<ThumbnailOutcome> => {
  const { settings } = deps
  if (!upload.key.startsWith(PHOTO_PREFIX)) {
    throw new PhotoProcessingError('invalid-key', `Photos live under ${PHOTO_PREFIX}`)
  }
  const longest = thumbnailKey(upload.key, upload.etag, 99_999, THUMBNAIL_EXTENSIONS[settings.format])
  if (utf8Bytes(longest) > MAX_S3_KEY_BYTES) {
    throw new PhotoProcessingError('invalid-key', 'The photo key is too long to derive thumbnail keys from')
  }
  if (upload.size > settings.maxInputBytes) {
    throw new PhotoProcessingError(
      'too-large',
      `The photo has ${upload.size} bytes; the limit is ${settings.maxInputBytes}`,
    )
  }
  const read = await deps.source.read(upload)
  if ('superseded' in read) return { status: 'superseded' }

  // The presigned PUT signed the Content-Type from blog-site's allow-list; anything else did not
  // come through the blog, and the bytes must then be what that type promises (checked in imaging).
  const declared = declaredFormat(read.contentType)
  if (!declared) {
    throw new PhotoProcessingError(
      'unsupported-format',
      `The photo was uploaded as ${read.contentType ?? 'no content type'}, which is not an accepted photo type`,
    )
  }
  const made = await deps.imaging.thumbnails(read.bytes, {
    ...settings,
    declared: { contentType: String(read.contentType), format: declared },
  })
  const thumbnails: PhotoThumbnail[] = made.thumbnails.map((thumbnail) => ({
    width: thumbnail.width,
    height: thumbnail.height,
    key: thumbnailKey(upload.key, upload.etag, thumbnail.width, THUMBNAIL_EXTENSIONS[settings.format]),
    contentType: thumbnail.contentType,
  }))
  // Objects first, item second: once the item says `ready`, every key it lists exists.
  await Promise.all(
    made.thumbnails.map((thumbnail, index) =>
      deps.store.put({
        key: thumbnails[index]!.key,
        body: thumbnail.data,
        contentType: thumbnail.contentType,
      }),
    ),
  )
  const saved = await deps.records.save(upload.key, {
    status: 'ready',
    etag: upload.etag,
    sourceSequencer: upload.sequencer,
    processedAt: deps.clock.now().toISOString(),
    width: made.source.width,
    height: made.source.height,
    format: made.source.format,
    size: read.bytes.length,
    thumbnails,
  })
  return fromSave(saved) ?? { status: 'ready', thumbnails }
}
