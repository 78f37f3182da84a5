import { ConflictError, NotFoundError } from '@app/domain'
import {
  type JobFailure,
  type JobItem,
  type JobOrigin,
  START_FAILED,
  toJobFailure,
  type Workflow,
} from '@app/domain/jobs'
import type { JobPorts, JobRepository, StartPorts } from '../ports'

export interface StartOptions {
  /**
   * A caller-chosen job id (it names the execution), derived from what identifies the work, so a
   * repeated start of the same work is a duplicate instead of a second job. Default: a fresh id.
   */
  readonly jobId?: string
  /** Stored on the job item: what started it, when no API call did. */
  readonly origin?: JobOrigin
}

export interface StartedJob {
  readonly jobId: string
  /** False when an earlier start of the same caller-chosen id already started (or finished) it. */
  readonly started: boolean
}

/**
 * Creates the job item first (RUNNING), then starts the execution named by the job id. The item
 * exists before any step can finish, so a fast execution's result is never overwritten.
 * If the start fails, the item says so instead of staying RUNNING forever.
 *
 * With a caller-chosen `jobId` the start is idempotent: an existing item or an existing execution
 * of that name (Step Functions' ExecutionAlreadyExists) means an earlier attempt did the work, and
 * the call reports `started: false`; an attempt that stopped half-way (item written, execution not
 * recorded, or its start failed) is carried on. The machine input is a function of the id, so
 * Step Functions itself also answers two racing starts with one execution.
 */
export const startJob = async (
  ports: JobPorts,
  workflow: Workflow,
  owner: string,
  input: (jobId: string) => Promise<Record<string, unknown>>,
  options: StartOptions = {},
): Promise<StartedJob> => {
  const idempotent = options.jobId !== undefined
  const jobId = options.jobId ?? ports.newId()
  const machineInput = { jobId, owner, ...(await input(jobId)) }
  try {
    await ports.jobs.create({
      jobId,
      owner,
      workflow,
      createdAt: ports.now().toISOString(),
      ...(options.origin ? { origin: options.origin } : {}),
    })
  } catch (error) {
    if (!idempotent || !(error instanceof ConflictError)) throw error
    if (!(await resumable(ports.jobs, { jobId, owner, workflow }))) return { jobId, started: false }
  }
  try {
    const { executionArn } = await ports.starter.start(workflow, jobId, machineInput)
    await ports.jobs.started(jobId, executionArn)
  } catch (error) {
    // The adapter's ConflictError is ExecutionAlreadyExists: an earlier attempt started it.
    if (idempotent && error instanceof ConflictError) return { jobId, started: false }
    await ports.jobs.failed({
      jobId,
      owner,
      workflow,
      error: { name: START_FAILED, message: 'The workflow could not be started' },
    })
    throw error
  }
  return { jobId, started: true }
}

/**
 * A start by an API caller: one job of the caller's daily quota is taken first, before anything
 * costs us (the S3 write of a large text, the item, the execution), then `startJob`. Only a start
 * answered 202 counts: one that ends in an error after the count (the input's 413, a failed item
 * write or StartExecution) gives its job back. A refusal (429) counts nothing and starts nothing.
 */
export const startCallerJob = async (
  ports: StartPorts,
  workflow: Workflow,
  owner: string,
  input: (jobId: string) => Promise<Record<string, unknown>>,
): Promise<StartedJob> => {
  const day = await ports.quota.take(owner, ports.now())
  try {
    return await startJob(ports, workflow, owner, input)
  } catch (error) {
    await ports.quota.giveBack(owner, day)
    throw error
  }
}

/**
 * Whether a repeated start of a caller-chosen id must carry on: only when no execution is recorded
 * and no execution has finished the job, i.e. an earlier attempt stopped between its writes (the
 * item is RUNNING) or its start failed (FAILED with StartFailed, reopened here). The same id for
 * another owner or workflow is a real conflict, never a duplicate.
 */
const resumable = async (
  jobs: JobRepository,
  job: { jobId: string; owner: string; workflow: Workflow },
): Promise<boolean> => {
  const existing = await jobs.get(job.jobId)
  // Created a moment ago, gone now (TTL cannot be that quick): let the caller try again.
  if (!existing) throw new Error(`Job ${job.jobId} was created and is gone`)
  if (existing.owner !== job.owner || existing.workflow !== job.workflow)
    throw new ConflictError(`Job ${job.jobId} belongs to another owner or workflow`)
  if (existing.executionArn) return false
  if (existing.status === 'RUNNING') return true
  if (existing.status === 'FAILED' && existing.error?.name === START_FAILED) {
    await jobs.reopen(job.jobId)
    return true
  }
  return false
}

/** Express machines cannot be described; their steps record the outcome on the item. */
const describable: Readonly<Record<Workflow, boolean>> = { text: false, photo: true }

export interface JobView {
  readonly id: string
  readonly workflow: Workflow
  readonly status: string
  readonly createdAt?: string
  readonly finishedAt?: string
  readonly result?: unknown
  /** Only the vocabulary of `outcome.ts`: what went wrong for the caller, none of our internals. */
  readonly error?: JobFailure
}

/**
 * The caller's job: the item is the source of truth for results and recorded failures; for a
 * Standard execution still marked RUNNING, Step Functions tells whether it timed out or was
 * aborted (outcomes no state of the machine can record). Another owner's job is "not found".
 */
export const getJob = async (
  ports: Pick<JobPorts, 'jobs' | 'starter'>,
  owner: string,
  jobId: string,
): Promise<JobView> => {
  const item: JobItem | undefined = await ports.jobs.get(jobId)
  if (!item || item.owner !== owner) throw new NotFoundError(`No job ${jobId}`)
  const view: JobView = {
    id: item.jobId,
    workflow: item.workflow,
    status: item.status,
    ...(item.createdAt ? { createdAt: item.createdAt } : {}),
    ...(item.finishedAt ? { finishedAt: item.finishedAt } : {}),
    ...(item.result !== undefined ? { result: item.result } : {}),
    ...(item.error ? { error: toJobFailure(item.error) } : {}),
  }
  if (item.status !== 'RUNNING' || !item.executionArn || !describable[item.workflow]) return view
  const execution = await ports.starter.describe(item.executionArn)
  if (execution.status === 'RUNNING' || execution.status === 'SUCCEEDED' || execution.status === 'FAILED')
    return view
  return {
    ...view,
    status: execution.status,
    ...(execution.stopDate ? { finishedAt: execution.stopDate } : {}),
    error: toJobFailure({ name: execution.status === 'ABORTED' ? 'States.Aborted' : 'States.Timeout' }),
  }
}

/** How Step Functions reports an execution that ended (its "Execution Status Change" event). */
export interface ExecutionEnd {
  readonly jobId: string
  readonly status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'
  readonly error?: string | undefined
  readonly cause?: string | undefined
}

/**
 * Every terminal status reaches the job: a machine-level timeout or an abort (and a failure outside
 * any Catch) ends the execution without running `RecordFailure`, so the status change itself is
 * recorded, on a job still RUNNING only (idempotent; a recorded outcome always wins).
 */
export const recordExecutionEnd = (jobs: JobRepository, end: ExecutionEnd): Promise<boolean> =>
  jobs.ended(end.jobId, end.status, {
    name:
      end.error ??
      { FAILED: 'States.Runtime', TIMED_OUT: 'States.Timeout', ABORTED: 'States.Aborted' }[end.status],
    message: (end.cause ?? end.status).slice(0, 1000),
  })
