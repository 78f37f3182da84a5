import { z } from 'zod'
import { DEFAULT_TOP_N, MAX_TOP_N } from './words'

/**
 * Texts up to this many UTF-8 bytes travel inside the state machine's JSON; larger ones live in
 * S3 and steps pass object references. Step Functions caps a state's payload at 256 KiB, and the
 * job's other fields and the result must fit next to the text.
 */
export const TEXT_INLINE_LIMIT_BYTES = 64 * 1024

/** Largest text a job accepts from S3 (the benchmark runs 50 MB). */
export const TEXT_MAX_BYTES = 256 * 1024 * 1024

export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

export const inlineText = z.object({
  kind: z.literal('inline'),
  text: z.string().refine((text) => utf8Bytes(text) <= TEXT_INLINE_LIMIT_BYTES, {
    message: `inline text must be at most ${TEXT_INLINE_LIMIT_BYTES} UTF-8 bytes; larger texts go through S3`,
  }),
})
export const s3Text = z.object({
  kind: z.literal('s3'),
  bucket: z.string().min(3).max(63),
  key: z.string().min(1).max(1024),
})
/** Where a step finds its text: inline, or an S3 object (UTF-8). */
export const textRef = z.discriminatedUnion('kind', [inlineText, s3Text])
export type TextRef = z.output<typeof textRef>

/** What the text pipeline's first state accepts. Unknown fields are refused, not ignored. */
export const textJobInput = z.strictObject({
  jobId: z.string().regex(/^[A-Za-z0-9-_]{1,80}$/, 'letters, digits, - and _ only (it names the execution)'),
  owner: z.string().min(1).max(128),
  topN: z.number().int().min(1).max(MAX_TOP_N).default(DEFAULT_TOP_N),
  source: textRef,
})
export type TextJobInput = z.output<typeof textJobInput>
