import { textJobInput } from '@app/domain/text'
import { defineStep } from '@app/runtime/step'
import type { TextStore } from '../../ports'
import { toStepError } from '../../use-cases/step-errors'
import { validateTextJob } from '../../use-cases/text'

/** Text pipeline, first state: the schema check and, for S3 texts (of `dataBucket` only), existence and size. */
export const createStep = (ports: { store: TextStore }, options: { dataBucket: string }) =>
  defineStep('validateText', textJobInput, (job) => validateTextJob(job, ports.store, options.dataBucket), {
    classify: toStepError,
  })
