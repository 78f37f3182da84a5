import { failureInput, toJobError } from '@app/domain/jobs'
import { logger } from '@app/runtime/observability'
import { defineStep } from '@app/runtime/step'
import type { JobRepository } from '../../ports'
import { toStepError } from '../../use-cases/step-errors'

/** Failure state of both machines: records which error ended the job and why, then the machine fails. */
export const createStep = (ports: { jobs: JobRepository }) =>
  defineStep(
    'recordFailure',
    failureInput,
    async ({ workflow, jobId, owner, failure }) => {
      const error = toJobError(failure)
      // The details (bucket, key, an SDK refusal's ARNs) are for us: callers see a code (packages/domain/src/jobs/outcome.ts).
      logger.error('Job failed', { workflow, errorName: error.name, errorMessage: error.message })
      await ports.jobs.failed({ jobId, owner, workflow, error })
      return { jobId, status: 'FAILED' as const, error }
    },
    { classify: toStepError },
  )
