import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { todosEnvSchema } from '../../config'
import { systemClock } from '../../system'
import { createDynamoDbTodoRepository } from '../../todos/dynamodb-repository'
import { updateTodoRoute } from './route'

const config = readConfig(todosEnvSchema)

export const handler = updateTodoRoute({
  todos: createDynamoDbTodoRepository(createDocumentClient(config), config.TODOS_TABLE),
  clock: systemClock,
})
