import { awsEnvSchema } from '@app/runtime/config'
import * as z from 'zod'

/**
 * Each function reads only the variables it uses, parsed once at module scope (readConfig fails the
 * cold start naming any missing or malformed one). The names are set in serverless.yml.
 */
const name = z.string().min(1)

export const todosEnvSchema = awsEnvSchema.extend({
  TODOS_TABLE: name,
  // The DAX cluster's discovery endpoint where the stage runs one (`daxEnabled`), empty elsewhere.
  // The cluster only speaks TLS (ClusterEndpointEncryptionType TLS), whose scheme is daxs://.
  DAX_ENDPOINT: z
    .union([
      z.literal('').transform(() => undefined),
      z
        .string()
        .regex(/^daxs:\/\/[a-z0-9.-]+(:\d+)?$/, 'must be the TLS discovery endpoint, daxs://<host>[:port]'),
    ])
    .optional(),
})

export const listTodosEnvSchema = todosEnvSchema.extend({
  // An HMAC key: short keys make cursors forgeable.
  CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters'),
})

export const createTodoEnvSchema = todosEnvSchema.extend({
  IDEMPOTENCY_TABLE: name,
  IDEMPOTENCY_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(86_400),
})

export const filesEnvSchema = awsEnvSchema.extend({
  FILES_BUCKET: name,
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(5 * 1024 ** 3),
  /** Lifetime of presigned URLs; short, because a URL is a bearer credential. */
  PRESIGN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
})

export const listFilesEnvSchema = filesEnvSchema.extend({
  CURSOR_SECRET: z.string().min(32, 'must be at least 32 characters'),
})
