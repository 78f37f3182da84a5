import { ConflictError, NotFoundError, QuotaExceededError } from '@app/domain'
import { PayloadTooLargeError } from '@app/runtime/http'
import { describe, expect, it } from 'vitest'
import type { ExecutionStatus } from '../ports'
import { memoryJobPorts, memoryJobQuota } from '../testing/fakes'
import { getJob, startCallerJob, startJob } from './jobs'

const fakes = (options: { startFails?: boolean; execution?: ExecutionStatus } = {}) =>
  memoryJobPorts({
    ...(options.startFails ? { startFailures: Number.POSITIVE_INFINITY } : {}),
    ...(options.execution ? { execution: options.execution } : {}),
  })

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

describe('startJob with a caller-chosen id (idempotent)', () => {
  const source = async () => ({ source: { bucket: 'b', key: 'photos/p.jpg' } })
  const once = { jobId: 'job-1' }

  it('starts once; a repeated start is a duplicate that touches nothing', async () => {
    const { ports, started, calls, items } = fakes()
    expect(await startJob(ports, 'photo', 'o', source, once)).toEqual({ jobId: 'job-1', started: true })
    expect(await startJob(ports, 'photo', 'o', source, once)).toEqual({ jobId: 'job-1', started: false })
    expect(started).toHaveLength(1)
    expect(started[0]).toMatchObject({ name: 'job-1', input: { jobId: 'job-1', owner: 'o' } })
    expect(calls).toEqual(['create', 'start', 'started'])
    expect(items.get('job-1')).toMatchObject({ status: 'RUNNING', executionArn: expect.any(String) })
  })

  it('is still a duplicate once the execution has finished the job', async () => {
    const { ports, items, finish, started } = fakes()
    await startJob(ports, 'photo', 'o', source, once)
    finish('job-1')
    items.set('job-1', { ...items.get('job-1')!, status: 'SUCCEEDED', result: { ok: true } })
    expect((await startJob(ports, 'photo', 'o', source, once)).started).toBe(false)
    expect(started).toHaveLength(1)
    expect(items.get('job-1')).toMatchObject({ status: 'SUCCEEDED', result: { ok: true } })
  })

  it('carries on after a crash between creating the item and recording the execution', async () => {
    const { ports, items, started } = fakes()
    await ports.jobs.create({ jobId: 'job-1', owner: 'o', workflow: 'photo' })
    expect(await startJob(ports, 'photo', 'o', source, once)).toEqual({ jobId: 'job-1', started: true })
    expect(started).toHaveLength(1)
    expect(items.get('job-1')?.executionArn).toContain('job-1')
  })

  it('treats ExecutionAlreadyExists as the earlier attempt having started it', async () => {
    const { ports, started, items, finish } = fakes()
    await startJob(ports, 'photo', 'o', source, once)
    finish('job-1')
    // The item lost its execution (an attempt crashed after starting, before recording it).
    const { executionArn: _arn, ...item } = items.get('job-1')!
    items.set('job-1', item)
    expect(await startJob(ports, 'photo', 'o', source, once)).toEqual({ jobId: 'job-1', started: false })
    expect(started).toHaveLength(1)
    expect(items.get('job-1')?.status).toBe('RUNNING')
  })

  it('records a failed start, then reopens the job and starts it on the next attempt', async () => {
    const { ports, items, started, calls } = memoryJobPorts({ startFailures: 1 })
    await expect(startJob(ports, 'photo', 'o', source, once)).rejects.toThrow('ServiceUnavailable')
    expect(items.get('job-1')).toMatchObject({ status: 'FAILED', error: { name: 'StartFailed' } })
    expect(await startJob(ports, 'photo', 'o', source, once)).toEqual({ jobId: 'job-1', started: true })
    expect(calls).toEqual(['create', 'start', 'failed', 'reopen', 'start', 'started'])
    expect(items.get('job-1')).toMatchObject({ status: 'RUNNING', executionArn: expect.any(String) })
    expect(items.get('job-1')?.error).toBeUndefined()
    expect(started).toHaveLength(1)
  })

  it('refuses the id of another owner or workflow instead of calling it a duplicate', async () => {
    const { ports } = fakes()
    await startJob(ports, 'photo', 'o', source, once)
    await expect(startJob(ports, 'photo', 'someone-else', source, once)).rejects.toBeInstanceOf(ConflictError)
    await expect(startJob(ports, 'text', 'o', source, once)).rejects.toBeInstanceOf(ConflictError)
  })

  it('without a chosen id, a conflict is an error as before', async () => {
    const { ports } = fakes()
    await startJob(ports, 'text', 'o', source)
    ports.jobs.create = async () => {
      throw new ConflictError('exists')
    }
    await expect(startJob(ports, 'text', 'o', source)).rejects.toBeInstanceOf(ConflictError)
  })
})

describe("startCallerJob (the caller's daily quota)", () => {
  const text = async () => ({ source: { kind: 'inline', text: 'hi' } })
  const withQuota = (limit: number, options: { startFails?: boolean; now?: string } = {}) => {
    const job = fakes(options)
    const { quota, counts } = memoryJobQuota(limit)
    const now = new Date(options.now ?? '2026-12-02T18:45:00Z')
    return { ...job, counts, ports: { ...job.ports, quota, now: () => now } }
  }

  it('starts `limit` jobs a day; the next is refused before anything is written or started', async () => {
    const { ports, started, calls } = withQuota(2)
    await startCallerJob(ports, 'text', 'u1', text)
    await startCallerJob(ports, 'photo', 'u1', text)
    const refused = startCallerJob(ports, 'text', 'u1', text)
    await expect(refused).rejects.toBeInstanceOf(QuotaExceededError)
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 5 * 3600 + 15 * 60 })
    expect(started).toHaveLength(2)
    expect(calls.filter((call) => call === 'create')).toHaveLength(2)
  })

  it("counts per owner: another user's jobs leave yours alone", async () => {
    const { ports, started } = withQuota(1)
    await startCallerJob(ports, 'text', 'u1', text)
    await startCallerJob(ports, 'text', 'u2', text)
    await expect(startCallerJob(ports, 'text', 'u1', text)).rejects.toBeInstanceOf(QuotaExceededError)
    expect(started.map((job) => (job.input as { owner: string }).owner)).toEqual(['u1', 'u2'])
  })

  it('gives the job back when the start fails (StartExecution) or the input is refused (413)', async () => {
    const failing = withQuota(1, { startFails: true })
    await expect(startCallerJob(failing.ports, 'photo', 'u1', text)).rejects.toThrow('ServiceUnavailable')
    expect(failing.counts.get('u1 2026-12-02')).toBe(0)

    const { ports, counts, started } = withQuota(1)
    const tooLarge = async () => {
      throw new PayloadTooLargeError('too large')
    }
    await expect(startCallerJob(ports, 'text', 'u1', tooLarge)).rejects.toBeInstanceOf(PayloadTooLargeError)
    expect(counts.get('u1 2026-12-02')).toBe(0)
    // The job given back is there to use.
    await startCallerJob(ports, 'text', 'u1', text)
    expect(started).toHaveLength(1)
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
      error: { code: 'timed-out', message: 'The job did not finish in time.' },
    })
  })

  it('reports a recorded failure only in the fixed vocabulary: no bucket, s3:// URL or ARN', async () => {
    const { ports, items } = fakes()
    const recorded = [
      [
        'NotFoundError',
        'No photo at s3://blog-site-dev-uploads-123456789012-eu-west-1/photos/x.jpg',
        'not-found',
      ],
      ['ValidationError', 'input/source/bucket: expected workflows-dev-data-1234', 'invalid-input'],
      ['ImageError', 'Image format heif is not supported', 'unsupported-format'],
      [
        'AccessDenied',
        'User: arn:aws:sts::123456789012:assumed-role/workflows-dev-storePhotoResult/x is not authorized',
        'internal',
      ],
      ['TransientError', 'ThrottlingException: Rate exceeded', 'internal'],
      ['StartFailed', 'The workflow could not be started', 'internal'],
    ] as const
    for (const [name, message, code] of recorded) {
      const { jobId } = await startJob(ports, 'photo', 'owner', async () => ({}))
      items.set(jobId, { ...items.get(jobId)!, status: 'FAILED', error: { name, message } })
      const view = await getJob(ports, 'owner', jobId)
      expect(view.error?.code).toBe(code)
      expect(Object.keys(view.error ?? {}).sort()).toEqual(['code', 'message'])
      expect(JSON.stringify(view)).not.toMatch(/s3:\/\/|arn:|123456789012|workflows-dev|blog-site/)
    }
  })

  it('never describes Express executions (they cannot be), relying on the item', async () => {
    const { ports } = fakes({ execution: { status: 'ABORTED' } })
    const { jobId } = await startJob(ports, 'text', 'owner', async () => ({}))
    expect((await getJob(ports, 'owner', jobId)).status).toBe('RUNNING')
  })
})
