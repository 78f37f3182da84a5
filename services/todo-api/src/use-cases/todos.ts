import { NotFoundError, PreconditionRequiredError } from '@app/domain'
import {
  applyPatch,
  assertIfMatch,
  LIST_LIMIT_DEFAULT,
  type ListTodosQuery,
  type NewTodo,
  createTodo as newTodo,
  type Todo,
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
  const current = await ports.todos.get(sub, id)
  if (!current) throw notFound()
  assertIfMatch(ifMatch, etagOf(current))
  const next = applyPatch(current, patch, ports.clock.now())
  await ports.todos.replace(sub, next, current.version)
  return toTodoView(next)
}

/** Deleting is unconditional unless the caller sends If-Match, which is then enforced. */
export const deleteTodo = async (
  ports: { todos: TodoRepository },
  sub: string,
  id: string,
  ifMatch: string | undefined,
): Promise<void> => {
  if (ifMatch === undefined) return ports.todos.remove(sub, id)
  const current = await ports.todos.get(sub, id)
  if (!current) throw notFound()
  assertIfMatch(ifMatch, etagOf(current))
  await ports.todos.remove(sub, id, current.version)
}
