import { readConfig } from '@app/runtime/config'
import { createDocumentClient, createDynamoDbClient } from '@app/runtime/dynamodb'
import { createDynamoDbTodoRepository } from '../../adapters/dynamodb-todo-repository'
import { createPowertoolsIdempotency } from '../../adapters/powertools-idempotency'
import { systemClock } from '../../adapters/system-clock'
import { createTodoTables } from '../../adapters/todo-tables'
import { ulidGenerator } from '../../adapters/ulid-ids'
import { createTodoEnvSchema } from '../../config'
import { createTodoRoute } from './route'

const config = readConfig(createTodoEnvSchema)
const client = createDynamoDbClient(config)

export const handler = createTodoRoute({
  todos: createDynamoDbTodoRepository(
    await createTodoTables(config, createDocumentClient(config, client)),
    config.TODOS_TABLE,
  ),
  clock: systemClock,
  ids: ulidGenerator(),
  idempotency: createPowertoolsIdempotency({
    client,
    tableName: config.IDEMPOTENCY_TABLE,
    keyPrefix: 'todo-api.createTodo',
    expiresAfterSeconds: config.IDEMPOTENCY_TTL_SECONDS,
  }),
})
