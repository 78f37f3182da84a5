import { NotFoundError } from '@app/domain'
import type { JobItem, Workflow } from './model'
import type { JobRepository, WorkflowStarter } from './ports'

export interface JobPorts {
  readonly jobs: JobRepository
  readonly starter: WorkflowStarter
  readonly newId: () => string
  readonly now: () => Date
}

/**
 * Creates the job item first (RUNNING), then starts the execution named by the job id. The item
 * exists before any step can finish, so a fast execution's result is never overwritten.
 * If the start fails, the item says so instead of staying RUNNING forever.
 */
export const startJob = async (
  ports: JobPorts,
  workflow: Workflow,
  owner: string,
  input: (jobId: string) => Promise<Record<string, unknown>>,
): Promise<{ jobId: string }> => {
  const jobId = ports.newId()
  const machineInput = { jobId, owner, ...(await input(jobId)) }
  await ports.jobs.create({ jobId, owner, workflow, createdAt: ports.now().toISOString() })
  try {
    const { executionArn } = await ports.starter.start(workflow, jobId, machineInput)
    await ports.jobs.started(jobId, executionArn)
  } catch (error) {
    await ports.jobs.failed({
      jobId,
      owner,
      workflow,
      error: { name: 'StartFailed', message: 'The workflow could not be started' },
    })
    throw error
  }
  return { jobId }
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
  readonly error?: { name: string; message: string }
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
    ...(item.error ? { error: item.error } : {}),
  }
  if (item.status !== 'RUNNING' || !item.executionArn || !describable[item.workflow]) return view
  const execution = await ports.starter.describe(item.executionArn)
  if (execution.status === 'RUNNING' || execution.status === 'SUCCEEDED' || execution.status === 'FAILED')
    return view
  return {
    ...view,
    status: execution.status,
    ...(execution.stopDate ? { finishedAt: execution.stopDate } : {}),
    error: {
      name: execution.error ?? `States.${execution.status}`,
      message: execution.cause ?? execution.status,
    },
  }
}
