import { defineStep } from '@app/runtime/step'
import type { PhotoStore } from '../../ports'
import { adjustImageSize } from '../../use-cases/photo'
import { photoJobState } from '../../use-cases/photo-states'
import { toStepError } from '../../use-cases/step-errors'

/** Photo pipeline, Adjust Image Size branch: the resized rendition. */
export const createStep = (ports: { store: PhotoStore }) =>
  defineStep('adjustImageSize', photoJobState, (job) => adjustImageSize(job, ports.store), {
    classify: toStepError,
  })
