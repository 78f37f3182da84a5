import { NotFoundError, ValidationError } from '@app/domain'
import {
  createStripper,
  createWhitespaceCollapser,
  createWordCounter,
  TEXT_INLINE_LIMIT_BYTES,
  TEXT_MAX_BYTES,
  type TextJobInput,
  type TextRef,
  utf8Bytes,
  type WordStats,
} from '@app/domain/text'
import { z } from 'zod'
import type { TextStore } from '../ports'

/** The job state as it flows between the text pipeline's states. */
export const textJobState = z.object({
  jobId: z.string().min(1),
  owner: z.string().min(1),
  topN: z.number().int().min(1),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('inline'), text: z.string() }),
    z.object({ kind: z.literal('s3'), bucket: z.string().min(1), key: z.string().min(1) }),
  ]),
  budget: z.object({ stepTimeoutSeconds: z.number().int().min(1) }).optional(),
})
export type TextJobState = z.output<typeof textJobState>

/** Intermediate objects are named by job and step, so a retried step overwrites its own output. */
export const workKey = (jobId: string, step: string): string => `texts/work/${jobId}/${step}.txt`

/** First state: the job is already schema-valid; here an S3 source must exist in our bucket and not be too large. */
export const validateTextJob = async (
  job: TextJobInput,
  store: TextStore,
  bucket: string,
): Promise<TextJobInput> => {
  if (job.source.kind === 'inline') return job
  if (job.source.bucket !== bucket || !job.source.key.startsWith('texts/'))
    throw new ValidationError('Texts are read only from this service’s bucket, under texts/', [
      { pointer: '/input/source', detail: `must be s3://${bucket}/texts/...` },
    ])
  const size = await store.size(job.source)
  if (size === undefined) throw new NotFoundError(`No text at s3://${job.source.bucket}/${job.source.key}`)
  if (size > TEXT_MAX_BYTES)
    throw new ValidationError(`The text has ${size} bytes; the limit is ${TEXT_MAX_BYTES}`, [
      { pointer: '/input/source', detail: 'too large' },
    ])
  return job
}

interface ChunkTransform {
  push(chunk: string): string
  end(): string
}

async function* transformed(chunks: AsyncIterable<string>, transform: ChunkTransform): AsyncIterable<string> {
  for await (const chunk of chunks) {
    const out = transform.push(chunk)
    if (out) yield out
  }
  const rest = transform.end()
  if (rest) yield rest
}

async function* once(text: string): AsyncIterable<string> {
  yield text
}

/**
 * Applies a streaming transform to the job's text. Inline in, inline out unless the output outgrew
 * the inline limit (NFC can lengthen a text); S3 in, S3 out, streamed chunk by chunk.
 */
const transformStep = async (
  job: TextJobState,
  step: string,
  transform: ChunkTransform,
  store: TextStore,
): Promise<TextJobState> => {
  let source: TextRef
  if (job.source.kind === 'inline') {
    const text = transform.push(job.source.text) + transform.end()
    source =
      utf8Bytes(text) <= TEXT_INLINE_LIMIT_BYTES
        ? { kind: 'inline', text }
        : await store.write(workKey(job.jobId, step), once(text))
  } else {
    source = await store.write(workKey(job.jobId, step), transformed(store.read(job.source), transform))
  }
  return { ...job, source }
}

export const stripStep = (job: TextJobState, store: TextStore) =>
  transformStep(job, 'stripped', createStripper(), store)

export const removeWhitespaceStep = (job: TextJobState, store: TextStore) =>
  transformStep(job, 'collapsed', createWhitespaceCollapser(), store)

export const countWordsStep = async (
  job: TextJobState,
  store: TextStore,
): Promise<TextJobState & { stats: WordStats }> => {
  const counter = createWordCounter(job.topN)
  const chunks = job.source.kind === 'inline' ? once(job.source.text) : store.read(job.source)
  for await (const chunk of chunks) counter.push(chunk)
  return { ...job, stats: counter.finish() }
}
