import { z } from 'zod'

export const workflows = ['text', 'photo'] as const
export type Workflow = (typeof workflows)[number]

/** The error a failed start records on the job item (see `startJob`). */
export const START_FAILED = 'StartFailed'

export type JobStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'

/** The failure state's input: Step Functions' `{Error, Cause}` (Cause is a JSON string for Lambda errors). */
export const failureInput = z.object({
  workflow: z.enum(workflows),
  jobId: z.string().min(1),
  owner: z.string().min(1),
  failure: z.object({ Error: z.string(), Cause: z.string().optional() }),
})

export interface JobError {
  readonly name: string
  readonly message: string
}

/**
 * What a failure means for the caller: the error's name and message. AWS wraps a Lambda error's
 * details as `{"errorType","errorMessage","trace"}` in Cause; the stack trace is internal and dropped.
 */
export const toJobError = (failure: { Error: string; Cause?: string | undefined }): JobError => {
  const cause = failure.Cause ?? ''
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown }
    if (typeof parsed.errorMessage === 'string') return { name: failure.Error, message: parsed.errorMessage }
  } catch {
    // Not JSON: a Step Functions error such as States.Timeout carries plain text.
  }
  return { name: failure.Error, message: cause.slice(0, 1000) }
}

/** One item per job in the jobs table, keyed by `jobId` (also the execution's name). */
export interface JobItem {
  readonly jobId: string
  readonly owner: string
  readonly workflow: Workflow
  readonly status: JobStatus
  readonly executionArn?: string
  readonly createdAt?: string
  readonly finishedAt?: string
  readonly result?: unknown
  readonly error?: JobError
  readonly expiresAt?: number
  /** What started a job that no API call started (e.g. the blog upload), for finding and replaying it. */
  readonly origin?: JobOrigin
}

export type JobOrigin = Readonly<Record<string, string>>
export * from './outcome'
