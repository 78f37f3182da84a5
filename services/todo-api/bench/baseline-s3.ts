/** Cold-init baseline of the file functions: only the S3 client and presigner they use, nothing else. */
import { S3Client } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'

export const s3 = new S3Client({ region: process.env.AWS_REGION })
export const sign = getSignedUrl
export const handler = async () => ({ statusCode: 200, body: '' })
