import { S3Client } from '@aws-sdk/client-s3'
import { commonClientConfig as common } from '../aws/common'
import type { AwsEnv } from '../config'

// Its own entry point (`@app/runtime/s3`), for the same reason as `@app/runtime/dynamodb`.
/** One S3 client per function. Path-style only against a local stand-in (s3rver). */
export const createS3Client = (env: AwsEnv): S3Client =>
  new S3Client({
    ...common(env, env.AWS_ENDPOINT_URL_S3),
    forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3),
    // Without this, presigned PUT URLs carry a checksum of an empty body that real S3 rejects.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
