import { ValidationError } from '@app/domain'
import { lambdaContext } from '@app/runtime/testing'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { logger, MetricUnit, metrics } from '../observability'
import { defineStep } from '.'

const job = z.object({ jobId: z.string(), n: z.number() })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('defineStep', () => {
  it('runs the step on the validated state, logging with the Lambda context, its name as `step` and the job id', async () => {
    const step = defineStep('countWords', job, async (input) => ({ ...input, n: input.n + 1 }))
    const addContext = vi.spyOn(logger, 'addContext')
    const appendKeys = vi.spyOn(logger, 'appendKeys')
    const removeKeys = vi.spyOn(logger, 'removeKeys')
    const context = lambdaContext('countWords')
    expect(await step({ jobId: 'job-1', n: 1 }, context)).toEqual({ jobId: 'job-1', n: 2 })
    expect(addContext).toHaveBeenCalledWith(context)
    expect(appendKeys).toHaveBeenCalledWith({ step: 'countWords', jobId: 'job-1' })
    // Keys of one invocation never leak into the next (a warm instance serves many jobs).
    expect(removeKeys).toHaveBeenCalledWith(['step', 'jobId'])
  })

  it('flushes the metrics a step stored, whether it succeeds or fails', async () => {
    const counted = (fail: boolean) =>
      defineStep('s', job, async () => {
        metrics.addMetric('Counted', MetricUnit.Count, 1)
        if (fail) throw new Error('boom')
      })
    await counted(false)({ jobId: 'j', n: 1 }, lambdaContext('s'))
    expect(metrics.hasStoredMetrics()).toBe(false)
    await expect(counted(true)({ jobId: 'j', n: 1 }, lambdaContext('s'))).rejects.toThrow('boom')
    expect(metrics.hasStoredMetrics()).toBe(false)
  })

  it('refuses a state its schema does not accept as a ValidationError, without running the step', async () => {
    const run = vi.fn(async () => 'ran')
    const step = defineStep('s', job, run)
    await expect(step({ jobId: 'j' }, lambdaContext('s'))).rejects.toBeInstanceOf(ValidationError)
    expect(run).not.toHaveBeenCalled()
  })

  it('hands the machine the error its classification makes of a failure, and logs it', async () => {
    class Retryable extends Error {
      override name = 'TransientError'
    }
    const warn = vi.spyOn(logger, 'warn')
    const step = defineStep(
      's',
      job,
      async () => {
        throw new Error('throttled')
      },
      { classify: (error) => new Retryable(String(error)) },
    )
    await expect(step({ jobId: 'j', n: 1 }, lambdaContext('s'))).rejects.toMatchObject({
      name: 'TransientError',
      message: 'Error: throttled',
    })
    expect(warn).toHaveBeenCalledWith('Step failed', expect.objectContaining({ errorName: 'TransientError' }))
  })

  it('without a classification, fails with the error as thrown (a non-Error wrapped in one)', async () => {
    const thrown = new TypeError('bug')
    const fails = (value: unknown) =>
      defineStep('s', job, async () => {
        throw value
      })({ jobId: 'j', n: 1 }, lambdaContext('s'))
    await expect(fails(thrown)).rejects.toBe(thrown)
    await expect(fails('a string')).rejects.toMatchObject({ name: 'Error', message: 'a string' })
  })
})
