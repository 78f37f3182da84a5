import { readConfig } from '@app/runtime/config'
import { createDocumentClient } from '@app/runtime/dynamodb'
import { createCursorCodec } from '@app/runtime/http'
import { createDynamoDbTodoRepository } from '../../adapters/dynamodb-todo-repository'
import { systemClock } from '../../adapters/system-clock'
import { dynamoDbTable } from '../../adapters/todo-tables'
import { listTodosEnvSchema } from '../../config'
import { listTodoChangesRoute } from './route'

const config = readConfig(listTodosEnvSchema)

export const handler = listTodoChangesRoute({
  // The feed never reads through DAX (a cached page would hide writes from a syncing device), so this
  // function stays outside the VPC and its bundle without lib-dax.
  todos: createDynamoDbTodoRepository(
    { direct: dynamoDbTable(createDocumentClient(config)) },
    config.TODOS_TABLE,
  ),
  cursors: createCursorCodec(config.CURSOR_SECRET),
  clock: systemClock,
})
