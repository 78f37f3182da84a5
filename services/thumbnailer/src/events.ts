import { MalformedMessageError, parsePhotoUploadMessage } from '@app/domain/photos'
import type { SQSRecord } from 'aws-lambda'
import type { PhotoUpload } from './ports'

export { MalformedMessageError }

/**
 * The uploads an SQS message announces: S3 event → SNS (envelope or raw) → SQS. The parsing is
 * shared with services/workflows (`@app/domain/photos`, `parsePhotoUploadMessage`).
 */
export const parsePhotoUploads = (record: Pick<SQSRecord, 'body'>): PhotoUpload[] =>
  parsePhotoUploadMessage(record.body)
