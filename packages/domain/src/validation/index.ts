import type { z } from 'zod'
import { type FieldIssue, ValidationError } from '../errors'

/** Turns zod issues into pointer/detail pairs under `prefix` (e.g. `/body`). */
export const toFieldIssues = (issues: readonly z.core.$ZodIssue[], prefix = ''): FieldIssue[] =>
  issues.map((issue) => ({
    pointer:
      prefix +
      issue.path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''),
    detail: issue.message,
  }))

/**
 * Parses `input` with `schema` or throws a `ValidationError` naming every offending field.
 * `where` names the part of the request (`body`, `query`, `path`, `headers`) for the message and pointers.
 */
export const parseOrThrow = <S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> => {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issues = toFieldIssues(result.error.issues, `/${where}`)
  const first = issues[0]
  throw new ValidationError(
    first ? `Invalid ${where}: ${first.pointer} ${first.detail}` : `Invalid ${where}`,
    issues,
  )
}
