import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createTodoEnvSchema } from '../../config'
import { systemClock, ulidGenerator } from '../../system'
import { createDynamoDbIdempotency } from '../../todos/dynamodb-idempotency'
import { createDynamoDbTodoRepository } from '../../todos/dynamodb-repository'
import { createTodoRoute } from './route'

const config = readConfig(createTodoEnvSchema)
const db = createDocumentClient(config)

export const handler = createTodoRoute({
  todos: createDynamoDbTodoRepository(db, config.TODOS_TABLE),
  clock: systemClock,
  ids: ulidGenerator(),
  idempotency: createDynamoDbIdempotency({
    db,
    tableName: config.IDEMPOTENCY_TABLE,
    keyPrefix: 'todo-api.createTodo',
    expiresAfterSeconds: config.IDEMPOTENCY_TTL_SECONDS,
  }),
})
