import {
  GoneError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  ValidationError,
} from '@app/domain'
import {
  applyPatch,
  assertIfMatch,
  CHANGE_RETENTION_DAYS,
  CHANGES_LIMIT_DEFAULT,
  LIST_LIMIT_DEFAULT,
  type ListTodosQuery,
  type NewTodo,
  createTodo as newTodo,
  type Todo,
  type TodoChangesPage,
  type TodoChangesQuery,
  type TodoPage,
  type TodoPatch,
  toTodoView,
} from '@app/domain/todos'
import { type CursorCodec, strongEtag } from '@app/runtime/http'
import type { Clock, Idempotency, IdGenerator, TodoRepository } from '../ports'

/**
 * The todo use cases. Each takes its ports first and the caller's `sub` second: every access is
 * scoped to the caller by construction, and another user's todo is simply "not found".
 */

/** The strong ETag of a todo's representation: what GET sends and what If-Match must echo. */
export const etagOf = (todo: Todo): string => strongEtag(JSON.stringify(toTodoView(todo)))

const notFound = () => new NotFoundError('No such todo')

export const createTodo = async (
  ports: { todos: TodoRepository; clock: Clock; ids: IdGenerator; idempotency: Idempotency },
  sub: string,
  input: NewTodo,
  options: { idempotencyKey?: string | undefined; remainingTimeInMillis?: () => number } = {},
): Promise<Todo> => {
  const work = async () => {
    const todo = newTodo(input, ports.ids.next(), ports.clock.now())
    await ports.todos.create(sub, todo)
    return toTodoView(todo)
  }
  if (!options.idempotencyKey) return work()
  // A replayed result comes back from the idempotency store with its keys re-ordered; the view
  // restores the order, so a retry gets the very same bytes (and ETag) as the first response.
  const result = await ports.idempotency.once(
    { sub, key: options.idempotencyKey },
    input,
    work,
    options.remainingTimeInMillis ? { remainingTimeInMillis: options.remainingTimeInMillis } : {},
  )
  return toTodoView(result)
}

export const getTodo = async (ports: { todos: TodoRepository }, sub: string, id: string): Promise<Todo> => {
  const todo = await ports.todos.get(sub, id)
  if (!todo) throw notFound()
  return toTodoView(todo)
}

/** The cursor is bound to the user and the filter: replaying it elsewhere fails verification. */
const cursorBinding = (sub: string, status: string | undefined) => `todos\n${sub}\n${status ?? '*'}`

export const listTodos = async (
  ports: { todos: TodoRepository; cursors: CursorCodec },
  sub: string,
  query: ListTodosQuery,
): Promise<TodoPage> => {
  const binding = cursorBinding(sub, query.status)
  const after = query.cursor ? ports.cursors.decode(query.cursor, binding) : undefined
  const page = await ports.todos.list(sub, {
    status: query.status,
    limit: query.limit ?? LIST_LIMIT_DEFAULT,
    after,
  })
  return {
    items: page.items.map(toTodoView),
    ...(page.next ? { nextCursor: ports.cursors.encode(page.next, binding) } : {}),
  }
}

/**
 * Optimistic concurrency: the caller must prove which version it changes (If-Match with the ETag
 * it read). The read-compare is repeated by the conditional write, so a concurrent change between
 * the two still fails with 412 instead of being overwritten.
 */
export const updateTodo = async (
  ports: { todos: TodoRepository; clock: Clock },
  sub: string,
  id: string,
  patch: TodoPatch,
  ifMatch: string | undefined,
): Promise<Todo> => {
  if (ifMatch === undefined)
    throw new PreconditionRequiredError('Send If-Match with the ETag of the todo you are changing')
  const current = await ports.todos.get(sub, id, { latest: true })
  if (!current) throw notFound()
  return withCurrentOn412(
    ports,
    sub,
    id,
    current,
    async () => {
      const next = applyPatch(current, patch, ports.clock.now())
      await ports.todos.replace(sub, next, current.version)
      return toTodoView(next)
    },
    ifMatch,
  )
}

/**
 * A 412 carries the todo as it is now (`current`, with its `etag`), so an offline client can merge
 * and retry without another GET. `work` runs after If-Match matched what we read; its own 412 (a
 * write in between) re-reads, since what we read is then the stale version.
 */
const withCurrentOn412 = async <T>(
  ports: { todos: TodoRepository },
  sub: string,
  id: string,
  read: Todo,
  work: () => Promise<T>,
  ifMatch: string,
): Promise<T> => {
  const refuse = (error: PreconditionFailedError, todo: Todo | undefined): never => {
    if (!todo) throw notFound()
    throw new PreconditionFailedError(error.message, {
      cause: error,
      extensions: { current: toTodoView(todo), etag: etagOf(todo) },
    })
  }
  try {
    assertIfMatch(ifMatch, etagOf(read))
  } catch (error) {
    if (error instanceof PreconditionFailedError) refuse(error, read)
    throw error
  }
  try {
    return await work()
  } catch (error) {
    if (error instanceof PreconditionFailedError)
      refuse(error, await ports.todos.get(sub, id, { latest: true }))
    throw error
  }
}

/** Deleting is unconditional unless the caller sends If-Match, which is then enforced. */
export const deleteTodo = async (
  ports: { todos: TodoRepository },
  sub: string,
  id: string,
  ifMatch: string | undefined,
): Promise<void> => {
  if (ifMatch === undefined) return ports.todos.remove(sub, id)
  const current = await ports.todos.get(sub, id, { latest: true })
  if (!current) throw notFound()
  await withCurrentOn412(ports, sub, id, current, () => ports.todos.remove(sub, id, current.version), ifMatch)
}

const RETENTION_MS = CHANGE_RETENTION_DAYS * 86_400_000
/** A sync token is bound to its user, like a cursor: replayed by anyone else it fails verification. */
const syncBinding = (sub: string) => `todo-changes\n${sub}`
const invalidSince = (cause?: unknown) =>
  new ValidationError(
    'Invalid sync token: pass back the `next` of your previous sync unchanged',
    [{ pointer: '/query/since', detail: 'not a sync token issued to you' }],
    { cause },
  )

/**
 * A sync token says "you hold every change up to `seq`, complete as of `at`". Tombstones live
 * CHANGE_RETENTION_DAYS after their deletion, so a token older than that may have missed one: 410,
 * and the client starts over without `since`. Once the feed is drained `at` is now: any later delete
 * leaves a tombstone younger than the token. While more pages wait, `at` stays the chain's first
 * call: a todo the client holds from an earlier page can only be deleted after that page was read.
 */
export const listTodoChanges = async (
  ports: { todos: TodoRepository; cursors: CursorCodec; clock: Clock },
  sub: string,
  query: TodoChangesQuery,
): Promise<TodoChangesPage> => {
  const now = ports.clock.now().getTime()
  let after = 0
  let since = now
  if (query.since) {
    let token: Record<string, unknown>
    try {
      token = ports.cursors.decode(query.since, syncBinding(sub))
    } catch (error) {
      throw invalidSince(error)
    }
    const { seq, at } = token
    if (!Number.isSafeInteger(seq) || (seq as number) < 0 || !Number.isSafeInteger(at)) throw invalidSince()
    if (now - (at as number) > RETENTION_MS)
      throw new GoneError(
        `This sync token is older than ${CHANGE_RETENTION_DAYS} days and deletions since then are forgotten: drop your local copy and sync again without \`since\``,
      )
    after = seq as number
    since = at as number
  }
  const page = await ports.todos.changes(sub, { after, limit: query.limit ?? CHANGES_LIMIT_DEFAULT })
  const last = page.changes.at(-1)
  const token = {
    seq: last?.seq ?? after,
    at: page.more ? since : now,
  }
  return {
    changes: page.changes.map((change) =>
      'deleted' in change
        ? { id: change.id, deleted: true }
        : { id: change.id, todo: toTodoView(change.todo) },
    ),
    next: ports.cursors.encode(token, syncBinding(sub)),
    hasMore: page.more,
  }
}
