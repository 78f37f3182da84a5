import { defineStep } from '@app/runtime/step'
import type { PhotoStore } from '../../ports'
import { cropImage } from '../../use-cases/photo'
import { photoJobState } from '../../use-cases/photo-states'
import { toStepError } from '../../use-cases/step-errors'

/** Photo pipeline, Crop Image branch: the centred square rendition. */
export const createStep = (ports: { store: PhotoStore }) =>
  defineStep('cropImage', photoJobState, (job) => cropImage(job, ports.store), { classify: toStepError })
