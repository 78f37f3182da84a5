import * as z from 'zod'

/**
 * A user's files: every object lives under `private/<sub>/`, names are flat (no folders, no `..`),
 * and only a few content types are accepted. Pure rules; presigning is the service's adapter.
 */

/** Types a mobile app uploads; anything else (HTML, SVG, scripts) could be served back as active content. */
export const ALLOWED_CONTENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'application/pdf',
  'text/plain',
] as const

export const fileNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/,
    'must be 1-200 characters of letters, digits, ".", "_" or "-", starting with a letter or digit',
  )
  .refine((name) => !name.includes('..'), 'must not contain ".."')
  .meta({ description: 'File name inside your folder', example: 'receipt-2026-11.pdf' })

export const contentTypeSchema = z
  .enum(ALLOWED_CONTENT_TYPES, { error: `must be one of ${ALLOWED_CONTENT_TYPES.join(', ')}` })
  .meta({ id: 'FileContentType' })

/** The object key of `name` in the folder of user `sub`: the only keys this API ever signs. */
export const fileKey = (sub: string, name: string): string => `${folderOf(sub)}${name}`

/** `private/<sub>/`: a user's folder, with the trailing slash so `sub` is never a prefix of another. */
export const folderOf = (sub: string): string => {
  if (!/^[A-Za-z0-9:_-]{1,128}$/.test(sub)) throw new Error(`not a user id: ${JSON.stringify(sub)}`)
  return `private/${sub}/`
}

/** Body of `POST /files/links`: which presigned URL the client wants for which file. */
export const fileLinkRequestSchema = (maxUploadBytes: number) =>
  z
    .discriminatedUnion('operation', [
      z.strictObject({
        operation: z.literal('upload'),
        name: fileNameSchema,
        contentType: contentTypeSchema,
        size: z
          .number()
          .int('must be a whole number of bytes')
          .min(1, 'must be at least 1 byte')
          .max(maxUploadBytes, `must be at most ${maxUploadBytes} bytes`),
      }),
      z.strictObject({ operation: z.literal('download'), name: fileNameSchema }),
      z.strictObject({ operation: z.literal('delete'), name: fileNameSchema }),
    ])
    .meta({ id: 'FileLinkRequest' })
export type FileLinkRequest = z.output<ReturnType<typeof fileLinkRequestSchema>>

export const fileLinkSchema = z
  .object({
    operation: z.enum(['upload', 'download', 'delete']),
    name: z.string(),
    method: z.enum(['PUT', 'GET', 'DELETE']),
    url: z.url(),
    /** Headers the client must send exactly as given (they are part of the signature). */
    headers: z.record(z.string(), z.string()),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'FileLink', description: 'A short-lived presigned URL for one file in your folder' })
export type FileLink = z.output<typeof fileLinkSchema>

export const FILE_LIST_LIMIT_MAX = 1000

export const listFilesQuerySchema = z
  .strictObject({
    limit: z
      .string()
      .regex(/^\d{1,4}$/, `must be an integer from 1 to ${FILE_LIST_LIMIT_MAX}`)
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(1, 'must be at least 1')
          .max(FILE_LIST_LIMIT_MAX, `must be at most ${FILE_LIST_LIMIT_MAX}`),
      )
      .optional(),
    cursor: z.string().min(1).max(2048, 'is not a cursor issued by this API').optional(),
  })
  .meta({ id: 'ListFilesQuery' })
export type ListFilesQuery = z.output<typeof listFilesQuerySchema>

export const storedFileSchema = z
  .object({ name: z.string(), size: z.number().int(), lastModified: z.iso.datetime() })
  .meta({ id: 'StoredFile' })
export type StoredFile = z.output<typeof storedFileSchema>

export const filePageSchema = z
  .object({ items: z.array(storedFileSchema), nextCursor: z.string().optional() })
  .meta({ id: 'FilePage' })
export type FilePage = z.output<typeof filePageSchema>
