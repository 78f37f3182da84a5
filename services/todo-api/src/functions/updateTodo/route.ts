import { todoPatchSchema, todoPathSchema } from '@app/domain/todos'
import { httpRoute } from '@app/runtime/http'
import { readHeaders } from '../../api/headers'
import type { Clock, TodoRepository } from '../../ports'
import { etagOf, updateTodo } from '../../use-cases/todos'

/** PATCH /todos/{id}: needs If-Match (428 without, 412 when stale). */
export const updateTodoRoute = (ports: { todos: TodoRepository; clock: Clock }) =>
  httpRoute(
    { auth: true, schemas: { path: todoPathSchema, body: todoPatchSchema } },
    async ({ path, body, principal, headers }) => {
      const todo = await updateTodo(ports, principal.sub, path.id, body, readHeaders(headers)['if-match'])
      return { status: 200, body: todo, headers: { etag: etagOf(todo) } }
    },
  )
