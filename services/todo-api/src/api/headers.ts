import { parseOrThrow } from '@app/domain'
import * as z from 'zod'

/**
 * The request headers the todo routes read, validated like any other input. Header names arrive
 * lower-cased from the HTTP stack.
 */
const headersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7E]{1,255}$/, 'must be 1-255 visible ASCII characters (a UUID is a good choice)')
    .optional()
    .meta({ description: 'Makes a POST safe to retry: same key and body, same result' }),
  'if-match': z.string().min(1).max(1024, 'is too long to be an ETag').optional(),
})

export const readHeaders = (headers: Readonly<Record<string, string>>) =>
  parseOrThrow(
    headersSchema,
    { 'idempotency-key': headers['idempotency-key'], 'if-match': headers['if-match'] },
    'headers',
  )

export const idempotencyKeyHeader = headersSchema.shape['idempotency-key']
