import { defineStep } from '@app/runtime/step'
import type { PhotoStore } from '../../ports'
import { processPhoto } from '../../use-cases/photo'
import { photoJobInput } from '../../use-cases/photo-states'
import { toStepError } from '../../use-cases/step-errors'

/** Photo pipeline, first state: validates the job (photos of `uploadsBucket` only) and reads the photo's header. */
export const createStep = (ports: { store: PhotoStore }, options: { uploadsBucket: string }) =>
  defineStep('processPhoto', photoJobInput, (job) => processPhoto(job, ports.store, options.uploadsBucket), {
    classify: toStepError,
  })
