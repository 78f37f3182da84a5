import { defineStep } from '@app/runtime/step'
import type { PhotoStore } from '../../ports'
import { updateColorChannel } from '../../use-cases/photo'
import { photoJobState } from '../../use-cases/photo-states'
import { toStepError } from '../../use-cases/step-errors'

/** Photo pipeline, Update Color Channel branch: the greyscale rendition. */
export const createStep = (ports: { store: PhotoStore }) =>
  defineStep('updateColorChannel', photoJobState, (job) => updateColorChannel(job, ports.store), {
    classify: toStepError,
  })
