import { isRetryable } from '../failures'

/**
 * Why a photo could not get thumbnails, as recorded on its item (`reason`) for the blog and the
 * author. A verdict also says whether another attempt could change the outcome: only then does
 * the message go back to the queue (and, after its last attempt, to the dead-letter queue).
 */
export const PERMANENT_REASONS = [
  'empty',
  'not-an-image',
  'unsupported-format',
  'truncated',
  'corrupt',
  'too-large',
  'too-many-pixels',
  'timeout',
  'source-missing',
  'invalid-key',
  /** The bytes are another format than the content type the upload declared (and was signed for). */
  'wrong-content-type',
] as const
export type PermanentReason = (typeof PERMANENT_REASONS)[number]
/** Recorded when retries ran out on a failure that looked transient. */
export type PhotoFailureReason = PermanentReason | 'processing-error'

export interface FailureVerdict {
  readonly retryable: boolean
  readonly reason: PhotoFailureReason
  /** Short, safe to show to the photo's author (no stack, no internal names). */
  readonly detail: string
}

/** A failure the thumbnailer's own adapters detected, already classified. */
export class PhotoProcessingError extends Error {
  constructor(
    readonly reason: PermanentReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'PhotoProcessingError'
  }
}

const isPermanentReason = (code: unknown): code is PermanentReason =>
  typeof code === 'string' && (PERMANENT_REASONS as readonly string[]).includes(code)

/**
 * Classifies anything thrown while making thumbnails. Image errors about the input (`{ code,
 * retryable: false }` with a permanent reason, see `@app/images`) keep their reason; our own
 * `PhotoProcessingError`s are permanent; everything else is decided by the repo's one classifier
 * (`isRetryable`: throttling, network and unknown errors are retried) and recorded as
 * `processing-error`.
 */
export const classifyFailure = (error: unknown): FailureVerdict => {
  if (error instanceof PhotoProcessingError)
    return { retryable: false, reason: error.reason, detail: error.message }
  if (typeof error === 'object' && error !== null && 'code' in error && 'retryable' in error) {
    const { code, retryable } = error as { code: unknown; retryable: unknown }
    const message = error instanceof Error ? error.message : String(code)
    if (retryable === false && isPermanentReason(code))
      return { retryable: false, reason: code, detail: message }
  }
  return isRetryable(error)
    ? {
        retryable: true,
        reason: 'processing-error',
        detail: 'The photo could not be processed; it will be retried',
      }
    : { retryable: false, reason: 'processing-error', detail: 'The photo could not be processed' }
}
