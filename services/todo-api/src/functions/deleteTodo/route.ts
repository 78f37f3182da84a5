import { todoPathSchema } from '@app/domain/todos'
import { httpRoute } from '@app/runtime/http'
import { readHeaders } from '../../api/headers'
import type { TodoRepository } from '../../ports'
import { deleteTodo } from '../../use-cases/todos'

/** DELETE /todos/{id}: 204; If-Match, when sent, must match (412 otherwise). */
export const deleteTodoRoute = (ports: { todos: TodoRepository }) =>
  httpRoute({ auth: true, schemas: { path: todoPathSchema } }, async ({ path, principal, headers }) => {
    await deleteTodo(ports, principal.sub, path.id, readHeaders(headers)['if-match'])
    return { status: 204 }
  })
