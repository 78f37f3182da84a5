import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { todosEnvSchema } from '../../config'
import { createDynamoDbTodoRepository } from '../../todos/dynamodb-repository'
import { getTodoRoute } from './route'

const config = readConfig(todosEnvSchema)

export const handler = getTodoRoute({
  todos: createDynamoDbTodoRepository(createDocumentClient(config), config.TODOS_TABLE),
})
