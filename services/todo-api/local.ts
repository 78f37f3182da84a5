/**
 * How `pnpm dev` and the tests wire the todo API (contract: packages/local-cloud/src/service.ts).
 * Tables, bucket and user pool come from serverless.yml; here only what is local-only: a cursor
 * signing key (in AWS it is generated in Secrets Manager) and demo todos for the demo user.
 */

import { createTodo } from '@app/domain/todos'
import { defineLocalService, type LocalCloud } from '@app/local-cloud'
import { localClientConfig, localClients } from '@app/local-cloud/clients'
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { createDynamoDbTodoRepository } from './src/adapters/dynamodb-todo-repository'
import { dynamoDbTable } from './src/adapters/todo-tables'

const DEMO_USERNAME = 'demo@example.com'

/** Fixed ids (ULIDs of fixed times), so seeding again finds them instead of adding duplicates. */
const demoTodos = [
  { id: '01JDQ00000000000000000DEM1', title: 'Try the todo API with the demo user', status: 'done' as const },
  {
    id: '01JDQ00000000000000000DEM2',
    title: 'Upload a file through a presigned URL',
    status: 'open' as const,
  },
  {
    id: '01JDQ00000000000000000DEM3',
    title: 'Read the OpenAPI document at /openapi.json',
    status: 'open' as const,
  },
]

const tableName = (cloud: LocalCloud) => `todo-api-${cloud.stage}-todos`

export default defineLocalService({
  name: 'todo-api',
  offline: { httpPort: 3001, lambdaPort: 3101 },
  env: () => ({
    // Local only, and says so: in AWS the key is generated per stage in Secrets Manager.
    CURSOR_SECRET: 'local-only-cursor-signing-key-not-a-secret-0123456789',
  }),
  async seed(cloud) {
    const cognito = new CognitoIdentityProviderClient({
      ...localClientConfig(cloud),
      endpoint: cloud.endpoints.cognito.endpoint,
    })
    const user = await cognito
      .send(
        new AdminGetUserCommand({ UserPoolId: cloud.endpoints.cognito.userPoolId, Username: DEMO_USERNAME }),
      )
      .catch(() => undefined)
    cognito.destroy()
    const sub = user?.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value
    if (!sub) return cloud.log(`todo-api: no demo user ${DEMO_USERNAME} yet, no demo todos seeded`)
    const { db } = localClients(cloud)
    const todos = createDynamoDbTodoRepository({ direct: dynamoDbTable(db) }, tableName(cloud))
    let added = 0
    for (const [index, demo] of demoTodos.entries()) {
      if (await todos.get(sub, demo.id)) continue
      await todos.create(
        sub,
        createTodo(
          { title: demo.title, status: demo.status },
          demo.id,
          new Date(Date.UTC(2026, 0, 1 + index)),
        ),
      )
      added++
    }
    db.destroy()
    cloud.log(
      `todo-api: ${added} demo todos seeded for ${DEMO_USERNAME} (${demoTodos.length - added} already there)`,
    )
  },
  endpoints: (cloud) => ({
    todoApiOpenApi: `${String(cloud.endpoints.todoApi ?? '')}/openapi.json`,
    // The mobile app's own folder, reached with identity pool credentials (through awsGateway).
    todoFilesBucket: cloud.outputs['todo-api']?.FilesBucketName,
  }),
})
