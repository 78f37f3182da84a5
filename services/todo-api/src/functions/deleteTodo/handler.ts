import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createDynamoDbTodoRepository } from '../../adapters/dynamodb-todo-repository'
import { createTodoTables } from '../../adapters/todo-tables'
import { todosEnvSchema } from '../../config'
import { deleteTodoRoute } from './route'

const config = readConfig(todosEnvSchema)

export const handler = deleteTodoRoute({
  todos: createDynamoDbTodoRepository(
    await createTodoTables(config, createDocumentClient(config)),
    config.TODOS_TABLE,
  ),
})
