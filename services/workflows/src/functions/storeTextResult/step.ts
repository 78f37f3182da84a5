import { defineStep } from '@app/runtime/step'
import { z } from 'zod'
import type { JobRepository } from '../../ports'
import { toStepError } from '../../use-cases/step-errors'
import { textJobState } from '../../use-cases/text'

const input = textJobState.extend({
  stats: z.object({
    totalWords: z.number().int().min(0),
    distinctWords: z.number().int().min(0),
    topWords: z.array(z.object({ word: z.string(), count: z.number().int().min(1) })),
  }),
})

/** Text pipeline, last state: the counts land on the job item and are the execution's output. */
export const createStep = (ports: { jobs: JobRepository }) =>
  defineStep(
    'storeTextResult',
    input,
    async ({ jobId, owner, stats }) => {
      await ports.jobs.succeeded({ jobId, owner, workflow: 'text', result: stats })
      return { jobId, status: 'SUCCEEDED' as const, result: stats }
    },
    { classify: toStepError },
  )
