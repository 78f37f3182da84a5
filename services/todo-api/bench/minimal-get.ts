/**
 * The hand-written floor for GET /todos/{id}: the same GetItem, no validation, no middleware, no ETag.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb'
import type { APIGatewayProxyEvent } from 'aws-lambda'

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }),
)

export const handler = async (event: APIGatewayProxyEvent) => {
  const sub = (event.requestContext.authorizer as { sub: string }).sub
  const { Item } = await db.send(
    new GetCommand({
      TableName: process.env.TODOS_TABLE,
      Key: { PK: `USER#${sub}`, SK: `TODO#${event.pathParameters?.id}` },
      ConsistentRead: true,
    }),
  )
  return Item
    ? { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(Item) }
    : { statusCode: 404, body: '' }
}
