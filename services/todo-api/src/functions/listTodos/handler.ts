import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createCursorCodec } from '@app/runtime/http'
import { createDynamoDbTodoRepository } from '../../adapters/dynamodb-todo-repository'
import { createTodoTables } from '../../adapters/todo-tables'
import { listTodosEnvSchema } from '../../config'
import { listTodosRoute } from './route'

const config = readConfig(listTodosEnvSchema)

export const handler = listTodosRoute({
  todos: createDynamoDbTodoRepository(
    await createTodoTables(config, createDocumentClient(config)),
    config.TODOS_TABLE,
  ),
  cursors: createCursorCodec(config.CURSOR_SECRET),
})
