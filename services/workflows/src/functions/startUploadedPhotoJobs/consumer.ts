import { ConflictError } from '@app/domain'
import { MalformedMessageError, parsePhotoUploadMessage } from '@app/domain/photos'
import { parseOrDrop, sqsBatchHandler } from '@app/runtime/batch'
import { logger, MetricUnit, metrics } from '@app/runtime/observability'
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import type { JobPorts } from '../../ports'
import { startUploadedPhotoJob } from '../../use-cases/photo-uploads'

export type UploadedPhotosHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>

/**
 * The photo-uploaded queue's consumer: one photo pipeline job per upload. A record whose start
 * fails for a reason another attempt may not repeat (throttling, Step Functions or DynamoDB faults)
 * is reported in `batchItemFailures`, so SQS redelivers only it (and, after maxReceiveCount, moves
 * it to the dead-letter queue and its alarm). What no retry can fix (a malformed message, another
 * bucket, an unusable key, a job id taken by another job) is logged, counted and acknowledged.
 * Only photos of `uploadsBucket` are processed (the pipeline reads no other).
 */
export const createConsumer = (
  ports: JobPorts,
  options: { readonly uploadsBucket: string },
): UploadedPhotosHandler => {
  const onRecord = async (record: SQSRecord): Promise<void> => {
    for (const upload of parseOrDrop(record, parsePhotoUploadMessage, MalformedMessageError)) {
      try {
        const outcome = await startUploadedPhotoJob(ports, upload, options.uploadsBucket)
        const log = outcome.status === 'ignored' ? logger.error.bind(logger) : logger.info.bind(logger)
        log(`Upload ${outcome.status}`, { messageId: record.messageId, key: upload.key, ...outcome })
        metrics.addMetric(`PhotoUploads_${outcome.status}`, MetricUnit.Count, 1)
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error
        logger.error('Dropped an upload whose job id is taken', { key: upload.key, error })
        metrics.addMetric('PhotoUploads_conflict', MetricUnit.Count, 1)
      }
    }
  }
  return sqsBatchHandler(onRecord)
}
