import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import type { BaseRecord } from '@aws-lambda-powertools/batch/types'
import type {
  Context,
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda'
import { flushMetrics, logger, MetricUnit, metrics } from '../observability'

/**
 * Every batch consumer's behaviour, once: the logger gets the invocation's context, a record that
 * throws is reported alone (partial batch response, Powertools batch), and the metrics are flushed
 * after every batch. A processor per invocation: it keeps per-batch state, and local runs invoke
 * concurrently.
 */
const batchHandler =
  <E, R, B>(
    type: keyof typeof EventType,
    onRecord: (record: R) => Promise<unknown>,
    processInParallel: boolean,
  ) =>
  async (event: E, context: Context): Promise<B> => {
    logger.addContext(context)
    try {
      return (await processPartialResponse(
        event as { Records: BaseRecord[] },
        onRecord as (record: BaseRecord) => Promise<unknown>,
        new BatchProcessor(EventType[type]),
        { context, processInParallel },
      )) as B
    } finally {
      flushMetrics()
    }
  }

/**
 * An SQS consumer: records one after another, in order, so SQS redelivers only the failed ones. Its
 * own entry point (`@app/runtime/batch`), so HTTP functions do not bundle Powertools batch.
 */
export const sqsBatchHandler = (onRecord: (record: SQSRecord) => Promise<unknown>) =>
  batchHandler<SQSEvent, SQSRecord, SQSBatchResponse>('SQS', onRecord, false)

/**
 * A DynamoDB stream consumer: records of a batch in parallel (Powertools' default for streams); the
 * mapping retries from the first failure, and a batch whose every record failed throws, which lets
 * `bisectBatchOnFunctionError` split it.
 */
export const streamBatchHandler = (onRecord: (record: DynamoDBRecord) => Promise<unknown>) =>
  batchHandler<DynamoDBStreamEvent, DynamoDBRecord, DynamoDBBatchResponse>('DynamoDBStreams', onRecord, true)

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
