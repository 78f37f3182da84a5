/**
 * Baselines for cold init: handlers that only create the SDK clients the real function creates at
 * module scope, and answer nothing. The difference to the real bundle is what our code costs.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'

const region = process.env.AWS_REGION ?? 'us-east-1'
const kind = process.env.BENCH_BASELINE ?? 'dynamodb'

export const clients =
  kind === 's3'
    ? { s3: new S3Client({ region }), sign: getSignedUrl }
    : kind === 'none'
      ? {}
      : { db: DynamoDBDocumentClient.from(new DynamoDBClient({ region })) }

export const handler = async () => ({ statusCode: 200, body: '' })
