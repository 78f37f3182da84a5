import { todoChangesQuerySchema } from '@app/domain/todos'
import { type CursorCodec, httpRoute } from '@app/runtime/http'
import type { Clock, TodoRepository } from '../../ports'
import { listTodoChanges } from '../../use-cases/todos'

/** GET /todos/changes: the caller's changes since a sync token, oldest first (offline sync). */
export const listTodoChangesRoute = (ports: { todos: TodoRepository; cursors: CursorCodec; clock: Clock }) =>
  httpRoute({ auth: true, schemas: { query: todoChangesQuerySchema } }, async ({ query, principal }) => ({
    status: 200,
    body: await listTodoChanges(ports, principal.sub, query),
    // Never stored by any cache: every answer mints a new token, and the feed moves with every write.
    cacheControl: 'private, no-store',
  }))
