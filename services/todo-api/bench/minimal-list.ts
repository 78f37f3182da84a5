/**
 * The hand-written floor for GET /todos: the same Query, no validation, no middleware, no ETag,
 * no cursor signing. What our listTodos handler adds on top of it is the overhead measured.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { APIGatewayProxyEvent } from 'aws-lambda'

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: process.env.AWS_REGION, endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }),
)

export const handler = async (event: APIGatewayProxyEvent) => {
  const sub = (event.requestContext.authorizer as { sub: string }).sub
  const limit = Number(event.queryStringParameters?.limit ?? 20)
  const { Items = [] } = await db.send(
    new QueryCommand({
      TableName: process.env.TODOS_TABLE,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :todo)',
      ExpressionAttributeValues: { ':pk': `USER#${sub}`, ':todo': 'TODO#' },
      ScanIndexForward: false,
      Limit: limit + 1,
    }),
  )
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items: Items.slice(0, limit) }),
  }
}
