import { MalformedMessageError, parsePhotoUploadMessage } from '@app/domain/photos'
import { parseOrDrop, sqsBatchHandler } from '@app/runtime/batch'
import { logger, MetricUnit, metrics } from '@app/runtime/observability'
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { type ThumbnailPhotoDeps, thumbnailPhoto } from '../../use-cases/thumbnail-photo'

export interface MakeThumbnailsConsumerDeps extends ThumbnailPhotoDeps {
  /** Only events of this bucket are processed (the function may read no other). */
  readonly uploadsBucket: string
  /** The queue's redrive `maxReceiveCount`. */
  readonly maxReceiveCount: number
}

export type MakeThumbnailsConsumer = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>

/**
 * `makeThumbnails`, over its ports: the photo queue's consumer. Records are processed one after another (each decode
 * already uses every core, and one 24 MP photo at a time bounds memory); a record that throws is
 * reported in `batchItemFailures` so SQS redelivers only it. A record that can never succeed (a
 * malformed message, a bad photo) is acknowledged: bad photos are recorded as `failed` instead.
 */
export const makeThumbnailsConsumer = (deps: MakeThumbnailsConsumerDeps): MakeThumbnailsConsumer => {
  const onRecord = async (record: SQSRecord): Promise<void> => {
    const attempt = {
      number: Number(record.attributes.ApproximateReceiveCount) || 1,
      max: deps.maxReceiveCount,
    }
    for (const upload of parseOrDrop(record, parsePhotoUploadMessage, MalformedMessageError)) {
      if (upload.bucket !== deps.uploadsBucket) {
        logger.error('Ignored an event of another bucket', { bucket: upload.bucket, key: upload.key })
        continue
      }
      const started = performance.now()
      const outcome = await thumbnailPhoto(upload, attempt, deps)
      const ms = Math.round(performance.now() - started)
      logger.info('Photo processed', {
        key: upload.key,
        etag: upload.etag,
        ms,
        attempt: attempt.number,
        ...outcome,
      })
      metrics.addMetric(`Photos_${outcome.status}`, MetricUnit.Count, 1)
      if (outcome.status === 'ready') metrics.addMetric('ThumbnailDuration', MetricUnit.Milliseconds, ms)
    }
  }
  return sqsBatchHandler(onRecord)
}
