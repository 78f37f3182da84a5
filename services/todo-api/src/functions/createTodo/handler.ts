import { readConfig } from '@app/runtime/config'
import { createDocumentClient, createDynamoDbClient } from '@app/runtime/dynamodb'
import { createTodoEnvSchema } from '../../config'
import { systemClock, ulidGenerator } from '../../system'
import { createDynamoDbTodoRepository } from '../../todos/dynamodb-repository'
import { createPowertoolsIdempotency } from '../../todos/powertools-idempotency'
import { createTodoRoute } from './route'

const config = readConfig(createTodoEnvSchema)
const client = createDynamoDbClient(config)

export const handler = createTodoRoute({
  todos: createDynamoDbTodoRepository(createDocumentClient(config, client), config.TODOS_TABLE),
  clock: systemClock,
  ids: ulidGenerator(),
  idempotency: createPowertoolsIdempotency({
    client,
    tableName: config.IDEMPOTENCY_TABLE,
    keyPrefix: 'todo-api.createTodo',
    expiresAfterSeconds: config.IDEMPOTENCY_TTL_SECONDS,
  }),
})
