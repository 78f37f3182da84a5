/**
 * SDK clients pointed at the local stand-ins, for code that runs beside the local cloud rather than
 * inside a function (a service's `local.ts` wiring, integration tests, benches). Functions use the
 * factories of `@app/runtime` with their validated config instead; those take credentials from the
 * default chain, which the `pnpm dev` process does not have, hence this one place.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams'
import { S3Client } from '@aws-sdk/client-s3'
import { SESv2Client } from '@aws-sdk/client-sesv2'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { LocalEndpoints } from './service'

/** What both the running cloud and the tests' view of it offer. */
export interface LocalCloudAddress {
  readonly region: string
  readonly endpoints: Pick<LocalEndpoints, 'dynamodb' | 'dynamodbStreams' | 's3' | 'ses'>
  readonly functionEnv: Readonly<Record<string, string>>
}

/** Region and the stand-ins' dummy credentials. */
export const localClientConfig = (cloud: LocalCloudAddress) => ({
  region: cloud.region,
  credentials: {
    accessKeyId: cloud.functionEnv.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: cloud.functionEnv.AWS_SECRET_ACCESS_KEY ?? 'local',
  },
})

export interface LocalClients {
  dynamodb: DynamoDBClient
  /** Document client with the same marshalling options as `createDocumentClient` in `@app/runtime`. */
  db: DynamoDBDocumentClient
  /** Path-style, and checksums only when required, as `createS3Client` in `@app/runtime`. */
  s3: S3Client
  /** DynamoDB Local's stream API (GetRecords...), as an event source mapping reads it. */
  streams: DynamoDBStreamsClient
  /** aws-ses-v2-local. */
  ses: SESv2Client
}

/**
 * DynamoDB (+ streams), S3 and SES v2 clients on the local cloud's stand-ins. Constructing a client
 * opens no connection, so callers take the ones they use (and destroy those).
 */
export const localClients = (cloud: LocalCloudAddress): LocalClients => {
  const config = localClientConfig(cloud)
  const dynamodb = new DynamoDBClient({ ...config, endpoint: cloud.endpoints.dynamodb })
  return {
    dynamodb,
    db: DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } }),
    s3: new S3Client({
      ...config,
      endpoint: cloud.endpoints.s3,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
    streams: new DynamoDBStreamsClient({ ...config, endpoint: cloud.endpoints.dynamodbStreams }),
    ses: new SESv2Client({ ...config, endpoint: cloud.endpoints.ses }),
  }
}
