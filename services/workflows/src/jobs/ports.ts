import type { JobError, JobItem, Workflow } from './model'

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
