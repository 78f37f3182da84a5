import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createCursorCodec } from '@app/runtime/http'
import { createDynamoDbTodoRepository } from '../../adapters/dynamodb-todo-repository'
import { systemClock } from '../../adapters/system-clock'
import { listTodosEnvSchema } from '../../config'
import { listTodoChangesRoute } from './route'

const config = readConfig(listTodosEnvSchema)

export const handler = listTodoChangesRoute({
  todos: createDynamoDbTodoRepository(createDocumentClient(config), config.TODOS_TABLE),
  cursors: createCursorCodec(config.CURSOR_SECRET),
  clock: systemClock,
})
