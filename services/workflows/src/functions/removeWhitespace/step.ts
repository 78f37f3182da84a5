import { defineStep } from '@app/runtime/step'
import type { TextStore } from '../../ports'
import { toStepError } from '../../use-cases/step-errors'
import { removeWhitespaceStep, textJobState } from '../../use-cases/text'

/** Text pipeline, Remove Whitespace: every whitespace run one space, into its work object (S3 texts). */
export const createStep = (ports: { store: TextStore }) =>
  defineStep('removeWhitespace', textJobState, (job) => removeWhitespaceStep(job, ports.store), {
    classify: toStepError,
  })
