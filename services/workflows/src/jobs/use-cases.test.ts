import { ConflictError, NotFoundError } from '@app/domain'
import { describe, expect, it } from 'vitest'
import type { JobItem } from './model'
import type { ExecutionStatus, JobRepository, WorkflowStarter } from './ports'
import { getJob, startJob } from './use-cases'

const fakes = (options: { startFails?: boolean; execution?: ExecutionStatus } = {}) => {
  const items = new Map<string, JobItem>()
  const calls: string[] = []
  const jobs: JobRepository = {
    async create(job) {
      if (items.has(job.jobId)) throw new ConflictError('exists')
      calls.push('create')
      items.set(job.jobId, { ...job, status: 'RUNNING' })
    },
    get: async (jobId) => items.get(jobId),
    async started(jobId, executionArn) {
      calls.push('started')
      items.set(jobId, { ...items.get(jobId)!, executionArn })
    },
    async succeeded({ jobId, result }) {
      items.set(jobId, { ...items.get(jobId)!, status: 'SUCCEEDED', result })
    },
    async failed({ jobId, error }) {
      calls.push('failed')
      items.set(jobId, { ...items.get(jobId)!, status: 'FAILED', error })
    },
  }
  const started: { workflow: string; name: string; input: unknown }[] = []
  const starter: WorkflowStarter = {
    async start(workflow, name, input) {
      calls.push('start')
      if (options.startFails) throw new Error('ServiceUnavailable')
      started.push({ workflow, name, input })
      return { executionArn: `arn:aws:states:us-east-1:1:execution:m:${name}` }
    },
    describe: async () => options.execution ?? { status: 'RUNNING' },
  }
  let n = 0
  return {
    items,
    calls,
    started,
    ports: { jobs, starter, newId: () => `id-${++n}`, now: () => new Date('2026-01-01T00:00:00Z') },
  }
}

describe('startJob', () => {
  it('creates the RUNNING item before starting the execution named by the job id', async () => {
    const { ports, calls, started, items } = fakes()
    const { jobId } = await startJob(ports, 'text', 'user-1', async () => ({
      source: { kind: 'inline', text: 'hi' },
    }))
    expect(calls).toEqual(['create', 'start', 'started'])
    expect(started[0]).toEqual({
      workflow: 'text',
      name: jobId,
      input: { jobId, owner: 'user-1', source: { kind: 'inline', text: 'hi' } },
    })
    expect(items.get(jobId)).toMatchObject({
      status: 'RUNNING',
      owner: 'user-1',
      executionArn: expect.stringContaining(jobId),
    })
  })

  it('records a failed start instead of leaving the job RUNNING', async () => {
    const { ports, items } = fakes({ startFails: true })
    await expect(startJob(ports, 'photo', 'user-1', async () => ({}))).rejects.toThrow('ServiceUnavailable')
    expect(items.get('id-1')).toMatchObject({ status: 'FAILED', error: { name: 'StartFailed' } })
  })
})

describe('getJob', () => {
  it("answers not found for another owner's job and for unknown ids", async () => {
    const { ports } = fakes()
    const { jobId } = await startJob(ports, 'text', 'owner', async () => ({}))
    await expect(getJob(ports, 'someone-else', jobId)).rejects.toBeInstanceOf(NotFoundError)
    await expect(getJob(ports, 'owner', 'nope')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('reports the recorded result of a finished job', async () => {
    const { ports, items } = fakes()
    const { jobId } = await startJob(ports, 'text', 'owner', async () => ({}))
    items.set(jobId, {
      ...items.get(jobId)!,
      status: 'SUCCEEDED',
      result: { totalWords: 2 },
      finishedAt: 'later',
    })
    expect(await getJob(ports, 'owner', jobId)).toMatchObject({
      status: 'SUCCEEDED',
      result: { totalWords: 2 },
    })
  })

  it('asks Step Functions about a RUNNING Standard execution and reports a timeout no state could record', async () => {
    const { ports } = fakes({
      execution: { status: 'TIMED_OUT', stopDate: '2026-01-01T00:10:00.000Z', error: 'States.Timeout' },
    })
    const { jobId } = await startJob(ports, 'photo', 'owner', async () => ({}))
    expect(await getJob(ports, 'owner', jobId)).toMatchObject({
      status: 'TIMED_OUT',
      finishedAt: '2026-01-01T00:10:00.000Z',
      error: { name: 'States.Timeout' },
    })
  })

  it('never describes Express executions (they cannot be), relying on the item', async () => {
    const { ports } = fakes({ execution: { status: 'ABORTED' } })
    const { jobId } = await startJob(ports, 'text', 'owner', async () => ({}))
    expect((await getJob(ports, 'owner', jobId)).status).toBe('RUNNING')
  })
})
