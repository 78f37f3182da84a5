import type { LocalCloudForTests } from '@app/local-cloud/testing'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { S3Client } from '@aws-sdk/client-s3'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/** Clients on the run's local stand-ins, with the cloud's own dummy credentials. */
export const standInClients = (cloud: LocalCloudForTests) => {
  const env = cloud.functionEnv
  const credentials = {
    accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'local',
  }
  const raw = new DynamoDBClient({ region: cloud.region, endpoint: cloud.endpoints.dynamodb, credentials })
  return {
    raw,
    db: DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } }),
    s3: new S3Client({
      region: cloud.region,
      endpoint: cloud.endpoints.s3,
      forcePathStyle: true,
      credentials,
    }),
    credentials,
  }
}

/** blog-site's compose outputs in this run (table and bucket names). */
export const blogOutputs = (cloud: LocalCloudForTests) => {
  const outputs = cloud.outputs['blog-site']
  if (!outputs) throw new Error('blog-site is not part of this local cloud')
  return outputs as Record<
    | 'PostsTableName'
    | 'SubscribersTableName'
    | 'PhotosTableName'
    | 'UploadsBucketName'
    | 'ThumbnailsBucketName'
    | 'SiteBucketName',
    string
  >
}

export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
