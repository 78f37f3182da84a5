import { isDomainError } from '../errors'

/**
 * The one retry classification of the repo: may another attempt of the same work succeed?
 * Used by the SQS consumers (a retryable record goes back to the queue) and the state machine
 * steps (a retryable failure becomes `TransientError`, which the machines' `Retry` matches).
 *
 * Unknown errors are retried (`UNKNOWN_ERRORS_RETRY`): a failure we cannot name (a bug fixed by the
 * next deploy, an SDK fault we have not listed) costs at most a few bounded attempts, since every
 * queue has a dead-letter queue and every `Retry` a `MaxAttempts`, after which the failure is
 * recorded. Declaring it final instead would lose work that a retry would have done.
 */
export const UNKNOWN_ERRORS_RETRY = true

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'InternalServerError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
])
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
])

/** An AWS SDK v3 service exception or a Node network error, recognised by shape (no SDK import). */
interface SdkLikeError {
  name?: string
  code?: string
  $retryable?: unknown
  $metadata?: { httpStatusCode?: number }
}

/** True for faults of the AWS SDK or the network that are worth another attempt. */
export const isTransientFault = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false
  const sdk = error as SdkLikeError
  const status = sdk.$metadata?.httpStatusCode ?? 0
  return (
    Boolean(sdk.$retryable) ||
    status >= 500 ||
    status === 429 ||
    THROTTLING.has(sdk.name ?? '') ||
    NETWORK.has(sdk.code ?? '')
  )
}

/** An error that carries its own verdict (`@app/images`' ImageError, `PhotoProcessingError`). */
const ownVerdict = (error: unknown): boolean | undefined => {
  if (typeof error !== 'object' || error === null || !('retryable' in error)) return undefined
  const { retryable } = error as { retryable: unknown }
  return typeof retryable === 'boolean' ? retryable : undefined
}

/**
 * Retry or not, in this order: domain errors (bad input, a broken rule) are final; an error's own
 * `retryable` verdict is kept; throttling, 5xx and network faults are retried; any other answer of
 * an AWS service (a 4xx: missing object, access denied) is final, the same request would be refused
 * again; everything else is unknown and retried (`UNKNOWN_ERRORS_RETRY`).
 */
export const isRetryable = (error: unknown): boolean => {
  if (isDomainError(error)) return false
  const verdict = ownVerdict(error)
  if (verdict !== undefined) return verdict
  if (isTransientFault(error)) return true
  if ((error as SdkLikeError | null)?.$metadata?.httpStatusCode !== undefined) return false
  return UNKNOWN_ERRORS_RETRY
}
