import { createDocumentClient, readConfig } from '@app/runtime'
import { todosEnvSchema } from '../../config'
import { systemClock } from '../../system'
import { createDynamoDbTodoRepository } from '../../todos/dynamodb-repository'
import { updateTodoRoute } from './route'

const config = readConfig(todosEnvSchema)

export const handler = updateTodoRoute({
  todos: createDynamoDbTodoRepository(createDocumentClient(config), config.TODOS_TABLE),
  clock: systemClock,
})
