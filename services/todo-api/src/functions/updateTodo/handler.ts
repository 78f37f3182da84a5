import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createDynamoDbTodoRepository } from '../../adapters/dynamodb-todo-repository'
import { systemClock } from '../../adapters/system-clock'
import { createTodoTables } from '../../adapters/todo-tables'
import { todosEnvSchema } from '../../config'
import { updateTodoRoute } from './route'

const config = readConfig(todosEnvSchema)

export const handler = updateTodoRoute({
  todos: createDynamoDbTodoRepository(
    await createTodoTables(config, createDocumentClient(config)),
    config.TODOS_TABLE,
  ),
  clock: systemClock,
})
