/**
 * In-memory job ports with the semantics of the real adapters, for unit tests: the repository's
 * conditional writes (create once, reopen only a failed start) and Step Functions' execution names
 * (a name is taken for good; a repeated start of a running execution with the same input answers
 * with the same execution, anything else is ExecutionAlreadyExists, which the adapter maps to
 * ConflictError).
 */
import { ConflictError } from '@app/domain'
import { type JobItem, START_FAILED } from '@app/domain/jobs'
import { dailyQuotaExceeded, utcDay } from '@app/domain/quota'
import type { ExecutionStatus, JobPorts, JobQuota, JobRepository, WorkflowStarter } from '../ports'

export interface FakeOptions {
  /** How many calls of `start` throw a transient fault before it works. */
  readonly startFailures?: number
  /** What `describe` reports. */
  readonly execution?: ExecutionStatus
}

export const memoryJobPorts = (options: FakeOptions = {}) => {
  const items = new Map<string, JobItem>()
  /** Every port call, in order. */
  const calls: string[] = []
  const jobs: JobRepository = {
    async create(job) {
      if (items.has(job.jobId)) throw new ConflictError(`Job ${job.jobId} already exists`)
      calls.push('create')
      items.set(job.jobId, { ...job, status: 'RUNNING' })
    },
    get: async (jobId) => items.get(jobId),
    async reopen(jobId) {
      const item = items.get(jobId)
      if (item?.status !== 'FAILED' || item.error?.name !== START_FAILED) return
      calls.push('reopen')
      const { error: _error, finishedAt: _finishedAt, ...rest } = item
      items.set(jobId, { ...rest, status: 'RUNNING' })
    },
    async started(jobId, executionArn) {
      calls.push('started')
      items.set(jobId, { ...items.get(jobId)!, executionArn })
    },
    async succeeded({ jobId, result }) {
      items.set(jobId, { ...items.get(jobId)!, status: 'SUCCEEDED', result })
    },
    async ended(jobId, status, error) {
      calls.push('ended')
      const item = items.get(jobId)
      if (item?.status !== 'RUNNING') return false
      items.set(jobId, { ...item, status, error })
      return true
    },
    async failed({ jobId, error }) {
      calls.push('failed')
      items.set(jobId, { ...items.get(jobId)!, status: 'FAILED', error })
    },
  }
  /** Executions by name: what Step Functions holds. */
  const executions = new Map<string, { workflow: string; input: string; running: boolean }>()
  /** Executions actually created, in order. */
  const started: { workflow: string; name: string; input: unknown }[] = []
  let failures = options.startFailures ?? 0
  const starter: WorkflowStarter = {
    async start(workflow, name, input) {
      calls.push('start')
      if (failures > 0) {
        failures--
        throw Object.assign(new Error('ServiceUnavailable'), { name: 'ServiceUnavailable' })
      }
      const executionArn = `arn:aws:states:us-east-1:1:execution:${workflow}:${name}`
      const existing = executions.get(name)
      if (existing) {
        if (existing.running && existing.input === JSON.stringify(input)) return { executionArn }
        throw new ConflictError(`Execution ${name} exists`)
      }
      executions.set(name, { workflow, input: JSON.stringify(input), running: true })
      started.push({ workflow, name, input })
      return { executionArn }
    },
    describe: async () => options.execution ?? { status: 'RUNNING' },
  }
  let n = 0
  const ports: JobPorts = {
    jobs,
    starter,
    newId: () => `id-${++n}`,
    now: () => new Date('2026-01-01T00:00:00Z'),
  }
  /** Ends an execution as Step Functions would (its name stays taken). */
  const finish = (name: string) => {
    const execution = executions.get(name)
    if (execution) execution.running = false
  }
  return { ports, items, calls, started, executions, finish }
}

/** The daily quota with the adapter's semantics: `limit` per owner and UTC day, never below zero. */
export const memoryJobQuota = (limit: number) => {
  /** Jobs counted, by `owner day`. */
  const counts = new Map<string, number>()
  const quota: JobQuota = {
    async take(owner, at) {
      const day = utcDay(at)
      const n = counts.get(`${owner} ${day}`) ?? 0
      if (n >= limit) throw dailyQuotaExceeded('workflow jobs', limit, at)
      counts.set(`${owner} ${day}`, n + 1)
      return day
    },
    async giveBack(owner, day) {
      const n = counts.get(`${owner} ${day}`) ?? 0
      if (n > 0) counts.set(`${owner} ${day}`, n - 1)
    },
  }
  return { quota, counts }
}
