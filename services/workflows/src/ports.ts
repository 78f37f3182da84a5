/**
 * The ports of this service, one file: what its use cases need from the outside world. Adapters
 * (`adapters/`) implement them over AWS; `testing/` fakes them; each function's `handler.ts` picks.
 */

import type { JobError, JobItem, Workflow } from '@app/domain/jobs'
import type { TextRef } from '@app/domain/text'

export interface JobRepository {
  /** Creates the item; a second create of the same id is a `ConflictError`. */
  create(job: Pick<JobItem, 'jobId' | 'owner' | 'workflow' | 'createdAt' | 'origin'>): Promise<void>
  get(jobId: string): Promise<JobItem | undefined>
  /**
   * Back to RUNNING (error and finish time removed) after a failed start, before starting again;
   * does nothing unless the item is FAILED with `StartFailed`.
   */
  reopen(jobId: string): Promise<void>
  /** Records the execution; idempotent. */
  started(jobId: string, executionArn: string): Promise<void>
  /** Records success; idempotent (retried steps write the same values). Never overwrites another owner's job. */
  succeeded(job: { jobId: string; owner: string; workflow: Workflow; result: unknown }): Promise<void>
  failed(job: { jobId: string; owner: string; workflow: Workflow; error: JobError }): Promise<void>
  /**
   * Records how an execution ended when no state of the machine could (timed out, aborted, failed
   * outside any Catch): only on an item still RUNNING, so a recorded outcome is never overwritten and
   * a repeated event is a no-op. False when nothing was written.
   */
  ended(jobId: string, status: 'FAILED' | 'TIMED_OUT' | 'ABORTED', error: JobError): Promise<boolean>
}

/** What the status API reports about an execution, from the Step Functions API. */
export interface ExecutionStatus {
  readonly status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE'
  readonly startDate?: string
  readonly stopDate?: string
  readonly error?: string
  readonly cause?: string
}

/**
 * Starts and observes executions. One adapter (Step Functions API, `@aws-sdk/client-sfn`) serves
 * AWS and local runs: locally the SDK's endpoint points at the local Step Functions host.
 */
export interface WorkflowStarter {
  start(workflow: Workflow, name: string, input: unknown): Promise<{ executionArn: string }>
  /** Only for Standard machines (Express executions have no DescribeExecution). */
  describe(executionArn: string): Promise<ExecutionStatus>
}

/** What the functions that start and observe jobs (API and queue) work with. */
export interface JobPorts {
  readonly jobs: JobRepository
  readonly starter: WorkflowStarter
  readonly newId: () => string
  readonly now: () => Date
}

/**
 * A user's daily allowance of jobs started over the API (a conditional counter per user and UTC day,
 * `adapters/dynamodb-job-quota.ts`). Both calls are atomic, so concurrent starts never exceed it.
 */
export interface JobQuota {
  /**
   * Counts one job of `owner` in the UTC day of `at` and returns that day; a `QuotaExceededError`
   * (nothing counted) when the day's limit is reached.
   */
  take(owner: string, at: Date): Promise<string>
  /**
   * Gives back one job counted on `day` by `take` (a start that answered an error). Never throws:
   * a failed give-back is logged and costs the caller that one job.
   */
  giveBack(owner: string, day: string): Promise<void>
}

/** What the API's start functions work with: the job ports and the caller's daily quota. */
export interface StartPorts extends JobPorts {
  readonly quota: JobQuota
}

/** Reads the source photo and stores renditions; an S3 adapter in AWS and locally (s3rver). */
export interface PhotoStore {
  /** The photo's bytes, or `undefined` if there is no such object. */
  read(source: { bucket: string; key: string }): Promise<Uint8Array | undefined>
  /** Writes one output object of a branch; returns its key. */
  write(key: string, body: Uint8Array, contentType: string): Promise<string>
}

/** Where texts above the inline limit live between steps. */
export interface TextStore {
  /** The object's size in bytes, or `undefined` if it does not exist. */
  size(ref: Extract<TextRef, { kind: 's3' }>): Promise<number | undefined>
  /** The object's text as decoded UTF-8 chunks, in order; invalid UTF-8 is a `ValidationError`. */
  read(ref: Extract<TextRef, { kind: 's3' }>): AsyncIterable<string>
  /** Streams `chunks` into the object at `key` (multipart, bounded memory); returns its reference. */
  write(key: string, chunks: AsyncIterable<string>): Promise<Extract<TextRef, { kind: 's3' }>>
}
