/**
 * What the thumbnail use case needs from the outside world. Adapters (S3, DynamoDB, sharp) implement
 * these at the entry point; unit tests pass in-memory fakes with the same semantics.
 */
import type { PhotoProgress, PhotoResult, Size, ThumbnailFormat, UploadFormat } from '@app/domain/photos'

/** One object-created event, decoded and validated. */
export interface PhotoUpload {
  readonly bucket: string
  /** Decoded key (events carry it URL-encoded). */
  readonly key: string
  readonly etag: string
  readonly size: number
  /** Normalised sequencer (see `normaliseSequencer`). */
  readonly sequencer: string
}

export type ReadOutcome =
  /** `contentType`: the object's Content-Type, as the presigned PUT signed it. */
  { readonly bytes: Uint8Array; readonly contentType: string | undefined } | { readonly superseded: true }

export interface PhotoSource {
  /**
   * Reads exactly the upload the event describes (conditional on its ETag). `superseded` when the
   * key now holds another upload; throws `PhotoProcessingError('source-missing')` when it is gone.
   */
  read(upload: PhotoUpload): Promise<ReadOutcome>
}

export interface StoredObject {
  readonly key: string
  readonly body: Uint8Array
  readonly contentType: string
}

export interface ThumbnailStore {
  put(object: StoredObject): Promise<void>
}

export type SaveOutcome = 'saved' | 'superseded' | 'missing'

export interface PhotoRecords {
  get(photoKey: string): Promise<PhotoProgress | undefined>
  /**
   * Writes the result onto the existing item unless the item is gone (`missing`) or already holds
   * the result of a later upload (`superseded`): one conditional update, so racing deliveries of
   * old and new uploads always end with the newest.
   */
  save(photoKey: string, result: PhotoResult): Promise<SaveOutcome>
}

export interface MadeThumbnail extends Size {
  readonly data: Uint8Array
  readonly contentType: string
}

export interface Imaging {
  /**
   * Reads the photo's header, then makes one thumbnail per planned width (see `plannedWidths`).
   * Throws `ImageError`-shaped errors (`code`, `retryable`) for bad input, and
   * `PhotoProcessingError('wrong-content-type')`, before decoding, when the header's format is not
   * `declared.format`.
   */
  thumbnails(
    input: Uint8Array,
    request: {
      widths: readonly number[]
      format: ThumbnailFormat
      quality: number
      declared: { readonly contentType: string; readonly format: UploadFormat }
    },
  ): Promise<{ source: Size & { format: string }; thumbnails: MadeThumbnail[] }>
}
