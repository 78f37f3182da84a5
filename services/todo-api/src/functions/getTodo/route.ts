import { todoPathSchema } from '@app/domain/todos'
import { httpRoute } from '@app/runtime/http'
import type { TodoRepository } from '../../ports'
import { getTodo } from '../../use-cases/todos'

/** GET /todos/{id}: one todo with a strong ETag (If-None-Match -> 304). */
export const getTodoRoute = (ports: { todos: TodoRepository }) =>
  httpRoute({ auth: true, schemas: { path: todoPathSchema } }, async ({ path, principal }) => ({
    status: 200,
    body: await getTodo(ports, principal.sub, path.id),
    cacheControl: 'private, no-cache',
  }))
