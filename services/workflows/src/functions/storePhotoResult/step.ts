import { defineStep } from '@app/runtime/step'
import type { JobRepository } from '../../ports'
import { photoResult, storePhotoInput } from '../../use-cases/photo-states'
import { toStepError } from '../../use-cases/step-errors'

/** Photo pipeline, last state: every branch's result in one job item. */
export const createStep = (ports: { jobs: JobRepository }) =>
  defineStep(
    'storePhotoResult',
    storePhotoInput,
    async (state) => {
      const result = photoResult(state)
      await ports.jobs.succeeded({ jobId: state.jobId, owner: state.owner, workflow: 'photo', result })
      return { jobId: state.jobId, status: 'SUCCEEDED' as const, result }
    },
    { classify: toStepError },
  )
