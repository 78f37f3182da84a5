import { logger } from '@app/runtime/observability'
import { db, env } from '../../adapters/aws'
import { createJobRepository } from '../../adapters/dynamo-job-repository'
import { failureInput, toJobError } from '../../jobs/model'
import { defineStep } from '../../step'

const jobs = createJobRepository(db, env.JOBS_TABLE, { retentionDays: env.RETENTION_DAYS })

/** Failure state of both machines: records which error ended the job and why, then the machine fails. */
export const handler = defineStep(
  'RecordFailure',
  failureInput,
  async ({ workflow, jobId, owner, failure }) => {
    const error = toJobError(failure)
    // The details (bucket, key, an SDK refusal's ARNs) are for us: callers see a code (jobs/outcome.ts).
    logger.error('Job failed', { workflow, errorName: error.name, errorMessage: error.message })
    await jobs.failed({ jobId, owner, workflow, error })
    return { jobId, status: 'FAILED' as const, error }
  },
)
