import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { logger, MetricUnit, metrics } from '../observability'

/**
 * An SQS consumer with a partial batch response (Powertools batch): records one after another, in
 * order; a record that throws is reported alone in `batchItemFailures`, so SQS redelivers only it.
 * The logger gets the invocation's context and the metrics are flushed after every batch. Its own
 * entry point (`@app/runtime/batch`), so HTTP functions do not bundle Powertools batch.
 */
export const sqsBatchHandler =
  (onRecord: (record: SQSRecord) => Promise<void>) =>
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    logger.addContext(context)
    try {
      // A processor per invocation: it keeps per-batch state, and local runs invoke concurrently.
      return await processPartialResponse(event, onRecord, new BatchProcessor(EventType.SQS), {
        context,
        processInParallel: false,
      })
    } finally {
      metrics.publishStoredMetrics()
    }
  }

/**
 * A record's body through `parse`, or no items when `parse` throws a `permanent` error: a message
 * no retry can fix (malformed, not ours) is logged, counted (`MalformedMessages`) and acknowledged
 * rather than redelivered into the dead-letter queue. Anything else still throws (and is retried).
 */
export const parseOrDrop = <T>(
  record: SQSRecord,
  parse: (body: string) => T[],
  permanent: abstract new (...args: never[]) => Error,
): T[] => {
  try {
    return parse(record.body)
  } catch (error) {
    if (!(error instanceof permanent)) throw error
    logger.error('Dropped a malformed message', { messageId: record.messageId, error })
    metrics.addMetric('MalformedMessages', MetricUnit.Count, 1)
    return []
  }
}
