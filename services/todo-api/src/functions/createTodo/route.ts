import { newTodoSchema } from '@app/domain/todos'
import { httpRoute } from '@app/runtime/http'
import { readHeaders } from '../../api/headers'
import type { Clock, Idempotency, IdGenerator, TodoRepository } from '../../ports'
import { createTodo, etagOf } from '../../use-cases/todos'

/** POST /todos: creates a todo; with Idempotency-Key a retry returns the first result. */
export const createTodoRoute = (ports: {
  todos: TodoRepository
  clock: Clock
  ids: IdGenerator
  idempotency: Idempotency
}) =>
  httpRoute(
    { auth: true, schemas: { body: newTodoSchema } },
    async ({ body, principal, headers, context }) => {
      const { 'idempotency-key': idempotencyKey } = readHeaders(headers)
      const todo = await createTodo(ports, principal.sub, body, {
        idempotencyKey,
        ...(context ? { remainingTimeInMillis: () => context.getRemainingTimeInMillis() } : {}),
      })
      return { status: 201, body: todo, headers: { location: `/todos/${todo.id}`, etag: etagOf(todo) } }
    },
  )
