/**
 * What a caller may learn about a failed job: one code of a fixed vocabulary and its fixed text.
 * The recorded error (its name and message: bucket names, `s3://` URLs, an SDK refusal's account
 * and role ARNs) stays ours, in the logs and the job item; `GET /workflows/executions/{id}` and realtime's `job.*` messages show
 * only this.
 */
export const failureCodes = {
  'invalid-input': 'The job input is not valid.',
  'not-found': 'The job refers to something that does not exist.',
  'too-large': 'The job input is too large.',
  'unsupported-format': 'The photo is not an image in a supported format.',
  'timed-out': 'The job did not finish in time.',
  aborted: 'The job was stopped before it finished.',
  internal: 'The job failed on our side. It has been logged.',
} as const

export type FailureCode = keyof typeof failureCodes

export interface JobFailure {
  readonly code: FailureCode
  readonly message: string
}

/** Error names (as the steps throw them, or Step Functions reports them) → the caller's code. */
const byName: Readonly<Record<string, FailureCode>> = {
  ValidationError: 'invalid-input',
  NotFoundError: 'not-found',
  PayloadTooLargeError: 'too-large',
  // Every final image verdict is about the bytes (not an image, truncated, corrupt, a format we refuse);
  // the libvips code does not survive the Lambda error shape ({errorType, errorMessage}), so one code.
  ImageError: 'unsupported-format',
  'States.Timeout': 'timed-out',
  'States.Aborted': 'aborted',
}

/** The caller's view of a recorded error: anything not in the vocabulary is `internal`. */
export const toJobFailure = (error: { readonly name: string }): JobFailure => {
  const code = byName[error.name] ?? 'internal'
  return { code, message: failureCodes[code] }
}
