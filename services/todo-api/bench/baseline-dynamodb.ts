/** Cold-init baseline of the DynamoDB functions: only the SDK clients they create, nothing else. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

export const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }))
export const handler = async () => ({ statusCode: 200, body: '' })
