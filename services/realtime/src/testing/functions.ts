import { lambdaContext, loadWithEnv } from '@app/runtime/testing'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'

/** The environment serverless.yml gives the functions, with test names. */
export const ENV = {
  AWS_REGION: 'us-east-1',
  CONNECTIONS_TABLE: 'realtime-test-connections',
  CONNECTION_TTL_SECONDS: '7800',
  CONNECTIONS_ENDPOINT: 'https://api-id.execute-api.us-east-1.amazonaws.com/test',
  DELIVERY_CONCURRENCY: '4',
}

/** A WebSocket route's event as API Gateway sends it after `$connect`'s authorizer let `sub` in. */
export const routeEvent = (sub: string, connectionId: string, body?: unknown) => ({
  requestContext: {
    connectionId,
    messageId: 'message-1',
    routeKey: '$default',
    eventType: 'MESSAGE',
    authorizer: { principalId: sub, sub, username: sub, groups: '[]' },
  },
  ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  isBase64Encoded: false,
})

/** Loads `functions/<key>/handler.ts` with ENV and its DynamoDB document client mocked. */
export const handlerUnderTest = async <E>(
  key: string,
  load: () => Promise<{ handler: (event: E, context: ReturnType<typeof lambdaContext>) => Promise<unknown> }>,
  env: Record<string, string> = ENV,
) => {
  const db = mockClient(DynamoDBDocumentClient)
  const { handler } = await loadWithEnv(load, env)
  return { db, invoke: (event: E) => handler(event, lambdaContext(key)) }
}
