import { z } from 'zod'

/** Lower-case words joined by single dashes: safe in a URL path, an S3 key and a DynamoDB key. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const MAX_SLUG_LENGTH = 80
export const slugSchema = z
  .string()
  .min(1)
  .max(MAX_SLUG_LENGTH)
  .regex(SLUG_PATTERN, { message: 'lower-case letters, digits and single dashes' })
