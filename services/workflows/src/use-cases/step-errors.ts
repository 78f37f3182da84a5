import { isRetryable } from '@app/domain/failures'

/**
 * A failure that another attempt may not repeat (`isRetryable` of `@app/domain/failures`:
 * throttling, 5xx and network faults, a libvips failure not caused by the input, unknown errors). Its name is what the state machines' `Retry`
 * matches (`ErrorEquals: [TransientError, ...]`); every other error is final and caught into
 * `RecordFailure`.
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TransientError'
  }
}

/**
 * A step's failure for the machine's Retry/Catch, by the repo's one classifier (`isRetryable`):
 * domain errors (bad input), image verdicts about the bytes and refusals of AWS (4xx) stay as they
 * are (final, caught into `RecordFailure`); whatever may succeed on another attempt, unknown errors
 * included (bounded by the machines' `MaxAttempts`, then recorded), becomes `TransientError`.
 */
export const toStepError = (error: unknown): Error => {
  const failure = error instanceof Error ? error : new Error(String(error))
  if (!isRetryable(error)) return failure
  // An image error's code says which libvips failure it was; keep it in the retried error's message.
  const code = (error as { code?: unknown }).code
  const label =
    failure.name === 'ImageError' && typeof code === 'string' ? `ImageError(${code})` : failure.name
  return new TransientError(`${label}: ${failure.message}`, { cause: error })
}
