import { defineStep } from '@app/runtime/step'
import type { TextStore } from '../../ports'
import { toStepError } from '../../use-cases/step-errors'
import { countWordsStep, textJobState } from '../../use-cases/text'

/** Text pipeline, Word Counts: the counts of the text’s words, into the job state. */
export const createStep = (ports: { store: TextStore }) =>
  defineStep('countWords', textJobState, (job) => countWordsStep(job, ports.store), { classify: toStepError })
