import { isDomainError } from '@app/domain'

/**
 * A failure that another attempt may not repeat: throttling, 5xx and network faults of S3/DynamoDB,
 * or a libvips failure not caused by the input. Its name is what the state machines' `Retry`
 * matches (`ErrorEquals: [TransientError, ...]`); every other error is final and caught into
 * `RecordFailure`.
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'TransientError'
  }
}

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

/**
 * `@app/images`' ImageError, recognised by shape: importing the package here would pull sharp's
 * native binary into every text step's bundle.
 */
const isImageVerdict = (error: unknown): error is Error & { code: string; retryable: boolean } =>
  error instanceof Error &&
  error.name === 'ImageError' &&
  typeof (error as { retryable?: unknown }).retryable === 'boolean'

/**
 * Decides retry vs final for a step's failure: domain errors (bad input) and image verdicts
 * about the bytes are final; transient faults become `TransientError`; anything else (a bug, a
 * missing object) is final too, so it is recorded instead of retried forever.
 */
export const toStepError = (error: unknown): Error => {
  if (isDomainError(error)) return error
  if (isImageVerdict(error))
    return error.retryable
      ? new TransientError(`ImageError(${error.code}): ${error.message}`, { cause: error })
      : error
  if (isTransientFault(error)) {
    const { name, message } = error as Error
    return new TransientError(`${name}: ${message}`, { cause: error })
  }
  return error instanceof Error ? error : new Error(String(error))
}
