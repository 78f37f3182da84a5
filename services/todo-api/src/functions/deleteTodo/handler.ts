import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createDynamoDbTodoRepository } from '../../adapters/dynamodb-todo-repository'
import { todosEnvSchema } from '../../config'
import { deleteTodoRoute } from './route'

const config = readConfig(todosEnvSchema)

export const handler = deleteTodoRoute({
  todos: createDynamoDbTodoRepository(createDocumentClient(config), config.TODOS_TABLE),
})
