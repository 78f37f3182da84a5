import { defaultLimits } from '@app/images'
import { createDocumentClient, createS3Client } from '@app/runtime/aws'
import { readConfig } from '@app/runtime/config'
import type { S3Client } from '@aws-sdk/client-s3'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { dynamoPhotoRecords } from '../../adapters/dynamodb'
import { sharpImaging } from '../../adapters/imaging'
import { s3PhotoSource, s3ThumbnailStore } from '../../adapters/s3'
import { makeThumbnailsConfigSchema } from '../../config'
import { createSqsHandler, type SqsHandler } from '../../sqs-handler'

/**
 * Builds `makeThumbnails` from an environment: Lambda passes `process.env` (handler.ts); the local
 * cloud and the integration tests pass the function's serverless.yml environment over the local
 * endpoints, so several functions can live in one process without sharing `process.env`.
 */
export const createMakeThumbnailsHandler = (
  env: Record<string, string | undefined>,
  /** Clients with explicit credentials, for a process whose own environment has none (local runs). */
  clients?: { s3: S3Client; db: DynamoDBDocumentClient },
): SqsHandler => {
  const config = readConfig(makeThumbnailsConfigSchema, env)
  const s3 = clients?.s3 ?? createS3Client(config)
  const db = clients?.db ?? createDocumentClient(config)
  return createSqsHandler({
    source: s3PhotoSource(s3),
    store: s3ThumbnailStore(s3, config.THUMBNAILS_BUCKET),
    records: dynamoPhotoRecords(db, config.PHOTOS_TABLE),
    imaging: sharpImaging({
      ...defaultLimits,
      maxInputBytes: config.MAX_INPUT_BYTES,
      maxInputPixels: config.MAX_INPUT_PIXELS,
      timeoutSeconds: config.PROCESSING_TIMEOUT_SECONDS,
    }),
    clock: { now: () => new Date() },
    settings: {
      widths: config.THUMBNAIL_WIDTHS,
      format: config.THUMBNAIL_FORMAT,
      quality: config.THUMBNAIL_QUALITY,
      maxInputBytes: config.MAX_INPUT_BYTES,
    },
    uploadsBucket: config.UPLOADS_BUCKET,
    maxReceiveCount: config.MAX_RECEIVE_COUNT,
  })
}
