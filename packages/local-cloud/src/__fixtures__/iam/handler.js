// Calls the stand-ins as a deployed function would: SDK clients with the region and endpoints of
// its environment and whatever credentials the environment holds (its role session's, locally too).

import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront'
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'

const dynamodb = new DynamoDBClient({ maxAttempts: 1 })
// CloudFront's API lives in us-east-1 whatever the function's region.
const cloudFront = new CloudFrontClient({ region: 'us-east-1', maxAttempts: 1 })
const s3 = new S3Client({ forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' })
const json = (statusCode, body) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

export const putThenGet = async (event) => {
  const id = event?.queryStringParameters?.id ?? 'item'
  try {
    await dynamodb.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: id } } }))
    const { Item } = await dynamodb.send(
      new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: id } } }),
    )
    return json(200, { id: Item?.id?.S })
  } catch (error) {
    return json(500, { name: error.name, message: error.message })
  }
}

export const signUpload = async (event) => {
  const { key = 'uploads/file.txt', expires = '60' } = event?.queryStringParameters ?? {}
  const url = await getSignedUrl(
    s3,
    new PutObjectCommand({
      Bucket: process.env.BUCKET,
      Key: key,
      ContentType: 'text/plain',
      ContentLength: 5,
    }),
    { expiresIn: Number(expires), signableHeaders: new Set(['content-type', 'content-length']) },
  )
  return json(200, { url })
}

export const invalidate = async (event) => {
  const distributionId = event?.queryStringParameters?.distribution ?? process.env.DISTRIBUTION_ID
  try {
    const { Invalidation } = await cloudFront.send(
      new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: String(Date.now()), Paths: { Quantity: 1, Items: ['/api/*'] } },
      }),
    )
    return json(200, { id: Invalidation?.Id, status: Invalidation?.Status, distributionId })
  } catch (error) {
    return json(500, { name: error.name, message: error.message })
  }
}
