import { defineStep } from '@app/runtime/step'
import type { TextStore } from '../../ports'
import { toStepError } from '../../use-cases/step-errors'
import { stripStep, textJobState } from '../../use-cases/text'

/** Text pipeline, Strip Strings: the text without its non-word strings, into its work object (S3 texts). */
export const createStep = (ports: { store: TextStore }) =>
  defineStep('stripStrings', textJobState, (job) => stripStep(job, ports.store), { classify: toStepError })
