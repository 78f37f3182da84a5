import * as z from 'zod'
import { PreconditionFailedError } from '../errors'

/**
 * Todos: what a todo is, what a client may send, and the rules of change. Pure: no AWS, no HTTP.
 * Schemas carry `.meta()` so the OpenAPI document is generated from these very definitions.
 */

export const TODO_STATUSES = ['open', 'done'] as const
export const todoStatusSchema = z
  .enum(TODO_STATUSES)
  .meta({ id: 'TodoStatus', description: 'Lifecycle state' })
export type TodoStatus = z.output<typeof todoStatusSchema>

/** ULIDs: 26 Crockford base32 characters, time-ordered, so sorting by id is sorting by creation. */
export const todoIdSchema = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a todo id (26-character ULID)')
  .meta({ description: 'Todo id (ULID)', example: '01JDQ8ZB7H4XK2V7N3M9T5R6PA' })

// Control characters in a title are never meant: they break clients' rendering and logs.
const noControlChars = (value: string) => !/\p{Cc}/u.test(value)

export const TITLE_MAX = 200
export const NOTES_MAX = 2000

const titleSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`)
  .refine(noControlChars, 'must not contain control characters')
  .meta({ example: 'Buy milk' })

const notesSchema = z
  .string()
  .max(NOTES_MAX, `must be at most ${NOTES_MAX} characters`)
  .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters')

/** A calendar date (YYYY-MM-DD) that exists. */
const dueDateSchema = z.iso.date('must be a date (YYYY-MM-DD)').meta({ example: '2026-12-24' })

export const newTodoSchema = z
  .strictObject({
    title: titleSchema,
    notes: notesSchema.optional(),
    dueDate: dueDateSchema.optional(),
    status: todoStatusSchema.optional(),
  })
  .meta({ id: 'NewTodo', description: 'A todo to create' })
export type NewTodo = z.output<typeof newTodoSchema>

/** Partial update: a field absent is unchanged; `null` clears an optional field. */
export const todoPatchSchema = z
  .strictObject({
    title: titleSchema.optional(),
    notes: notesSchema.nullable().optional(),
    dueDate: dueDateSchema.nullable().optional(),
    status: todoStatusSchema.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field')
  .meta({ id: 'TodoPatch', description: 'Fields to change; null clears notes or dueDate' })
export type TodoPatch = z.output<typeof todoPatchSchema>

export const todoSchema = z
  .object({
    id: todoIdSchema,
    title: z.string(),
    notes: z.string().optional(),
    dueDate: z.string().optional(),
    status: todoStatusSchema,
    /** Incremented on every change; the basis of optimistic concurrency. */
    version: z.number().int().min(1),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Todo' })
export type Todo = z.output<typeof todoSchema>

export const LIST_LIMIT_DEFAULT = 20
export const LIST_LIMIT_MAX = 100

/** A page size in a query string: digits only (no `1e2`, no `0x10`, no spaces), 1..max. */
const pageLimit = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,3}$/, `must be an integer from 1 to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(1, 'must be at least 1').max(max, `must be at most ${max}`))
    .optional()
    .meta({ description: `Page size, 1..${max} (default ${fallback})` })

/**
 * Query string of the list route. Strict: an unknown parameter is a typo the client wants to hear
 * about, not something to ignore. `limit` is digits only (no `1e2`, no `0x10`, no spaces).
 */
export const listTodosQuerySchema = z
  .strictObject({
    limit: pageLimit(LIST_LIMIT_MAX, LIST_LIMIT_DEFAULT),
    status: todoStatusSchema.optional(),
    cursor: z
      .string()
      .min(1)
      .max(2048, 'is not a cursor issued by this API')
      .optional()
      .meta({ description: 'The `nextCursor` of the previous page, unchanged' }),
  })
  .meta({ id: 'ListTodosQuery' })
export type ListTodosQuery = z.output<typeof listTodosQuerySchema>

export const todoPageSchema = z
  .object({
    items: z.array(todoSchema),
    nextCursor: z.string().optional().meta({ description: 'Absent on the last page' }),
  })
  .meta({ id: 'TodoPage', description: 'One page of todos, newest first' })
export type TodoPage = z.output<typeof todoPageSchema>

export const todoPathSchema = z.strictObject({ id: todoIdSchema })

/** A new todo, version 1, created now. */
export const createTodo = (input: NewTodo, id: string, now: Date): Todo => {
  const at = now.toISOString()
  return {
    id,
    title: input.title,
    ...(input.notes !== undefined ? { notes: input.notes } : {}),
    ...(input.dueDate !== undefined ? { dueDate: input.dueDate } : {}),
    status: input.status ?? 'open',
    version: 1,
    createdAt: at,
    updatedAt: at,
  }
}

/** The todo after `patch`, one version later. */
export const applyPatch = (todo: Todo, patch: TodoPatch, now: Date): Todo => {
  const next: Todo = {
    ...todo,
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    version: todo.version + 1,
    updatedAt: now.toISOString(),
  }
  if (patch.notes === null) delete next.notes
  else if (patch.notes !== undefined) next.notes = patch.notes
  if (patch.dueDate === null) delete next.dueDate
  else if (patch.dueDate !== undefined) next.dueDate = patch.dueDate
  return next
}

/**
 * The representation a client sees, fields in a fixed order: the ETag is a hash of these bytes, so
 * the same todo must always serialise the same way, whoever builds it.
 */
export const toTodoView = (todo: Todo): Todo => ({
  id: todo.id,
  title: todo.title,
  ...(todo.notes !== undefined ? { notes: todo.notes } : {}),
  ...(todo.dueDate !== undefined ? { dueDate: todo.dueDate } : {}),
  status: todo.status,
  version: todo.version,
  createdAt: todo.createdAt,
  updatedAt: todo.updatedAt,
})

/**
 * Checks an `If-Match` header against the current representation's strong ETag (RFC 9110 §13.1.1:
 * strong comparison; `*` matches any current representation).
 */
export const assertIfMatch = (ifMatch: string, currentEtag: string): void => {
  const value = ifMatch.trim()
  if (value === '*') return
  const tags = value.split(',').map((tag) => tag.trim())
  if (tags.some((tag) => tag.startsWith('W/')) && !tags.some((tag) => tag === currentEtag))
    throw new PreconditionFailedError('If-Match needs a strong ETag; weak validators never match')
  if (!tags.includes(currentEtag))
    throw new PreconditionFailedError(
      'The todo changed since you read it: GET it again and retry with the new ETag',
    )
}

/**
 * Offline sync (GET /todos/changes). Tombstones of deleted todos are kept this long, so a device
 * offline for up to this many days catches up from its token; an older token is answered 410 Gone.
 */
export const CHANGE_RETENTION_DAYS = 30
export const CHANGES_LIMIT_DEFAULT = 100
export const CHANGES_LIMIT_MAX = 500

export const todoChangesQuerySchema = z
  .strictObject({
    since: z
      .string()
      .min(1)
      .max(2048, 'is not a sync token issued by this API')
      .optional()
      .meta({ description: 'The `next` token of the previous response, unchanged; absent: from the start' }),
    limit: pageLimit(CHANGES_LIMIT_MAX, CHANGES_LIMIT_DEFAULT),
  })
  .meta({ id: 'TodoChangesQuery' })
export type TodoChangesQuery = z.output<typeof todoChangesQuerySchema>

export const todoChangeSchema = z
  .union([
    z.object({ id: todoIdSchema, todo: todoSchema }),
    z.object({ id: todoIdSchema, deleted: z.literal(true) }),
  ])
  .meta({ id: 'TodoChange', description: "A todo's latest state, or its deletion" })
export type TodoChange = z.output<typeof todoChangeSchema>

export const todoChangesPageSchema = z
  .object({
    changes: z.array(todoChangeSchema).meta({ description: 'Oldest change first' }),
    next: z.string().meta({ description: 'Pass as `since` next time (always present, opaque)' }),
    hasMore: z.boolean().meta({ description: 'More changes are waiting: call again with `next` now' }),
  })
  .meta({ id: 'TodoChangesPage' })
export type TodoChangesPage = z.output<typeof todoChangesPageSchema>
