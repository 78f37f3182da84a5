import { streamBatchHandler } from '@app/runtime/batch'
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { type SendWelcomeDeps, sendWelcome } from './send-welcome'
import { parseSubscriberRecord } from './subscriber-record'

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>

/**
 * The Lambda entry for the subscribers stream: each record is parsed and welcomed on its own, and
 * the failed ones are reported as `batchItemFailures` so the event source mapping retries only from
 * the first failure (the ledger turns the re-delivered successes into no-ops). A batch whose every
 * record failed throws, which lets `bisectBatchOnFunctionError` split it to isolate a poisoned record.
 */
export const createStreamHandler = (deps: SendWelcomeDeps): StreamHandler => {
  const welcome = sendWelcome(deps)
  // The shared stream consumer: the same logger context and metrics flush as every batch handler.
  return streamBatchHandler(async (record: DynamoDBRecord) => welcome(parseSubscriberRecord(record)))
}
