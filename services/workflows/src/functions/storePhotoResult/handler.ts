import { db, env } from '../../adapters/aws'
import { createJobRepository } from '../../adapters/dynamo-job-repository'
import { photoResult, storePhotoInput } from '../../photo/steps'
import { defineStep } from '../../step'

const jobs = createJobRepository(db, env.JOBS_TABLE, { retentionDays: env.RETENTION_DAYS })

/** Photo pipeline, last state: every branch's result in one job item. */
export const handler = defineStep('storePhotoResult', storePhotoInput, async (state) => {
  const result = photoResult(state)
  await jobs.succeeded({ jobId: state.jobId, owner: state.owner, workflow: 'photo', result })
  return { jobId: state.jobId, status: 'SUCCEEDED' as const, result }
})
