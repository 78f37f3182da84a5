import { z } from 'zod'
import { db, env } from '../../adapters/aws'
import { createJobRepository } from '../../adapters/dynamo-job-repository'
import { defineStep } from '../../step'
import { textJobState } from '../../text/steps'

const jobs = createJobRepository(db, env.JOBS_TABLE, { retentionDays: env.RETENTION_DAYS })

const input = textJobState.extend({
  stats: z.object({
    totalWords: z.number().int().min(0),
    distinctWords: z.number().int().min(0),
    topWords: z.array(z.object({ word: z.string(), count: z.number().int().min(1) })),
  }),
})

/** Text pipeline, last state: the counts land on the job item and are the execution's output. */
export const handler = defineStep('storeTextResult', input, async ({ jobId, owner, stats }) => {
  await jobs.succeeded({ jobId, owner, workflow: 'text', result: stats })
  return { jobId, status: 'SUCCEEDED' as const, result: stats }
})
