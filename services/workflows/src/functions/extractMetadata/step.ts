import { defineStep } from '@app/runtime/step'
import type { PhotoStore } from '../../ports'
import { extractMetadataBranch } from '../../use-cases/photo'
import { photoJobState } from '../../use-cases/photo-states'
import { toStepError } from '../../use-cases/step-errors'

/** Photo pipeline, Extract Metadata branch: the photo’s metadata as a JSON object in the data bucket. */
export const createStep = (ports: { store: PhotoStore }) =>
  defineStep('extractMetadata', photoJobState, (job) => extractMetadataBranch(job, ports.store), {
    classify: toStepError,
  })
