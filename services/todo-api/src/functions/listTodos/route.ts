import { listTodosQuerySchema } from '@app/domain/todos'
import { type CursorCodec, httpRoute } from '@app/runtime/http'
import type { TodoRepository } from '../../ports'
import { listTodos } from '../../use-cases/todos'

/** GET /todos: the caller's todos, newest first, optionally one status, cursor-paginated. */
export const listTodosRoute = (ports: { todos: TodoRepository; cursors: CursorCodec }) =>
  httpRoute({ auth: true, schemas: { query: listTodosQuerySchema } }, async ({ query, principal }) => ({
    status: 200,
    body: await listTodos(ports, principal.sub, query),
    // Per user (private), and revalidated every time: the ETag makes that a cheap 304.
    cacheControl: 'private, no-cache',
  }))
