import { parseOrThrow, ValidationError } from '@app/domain'
import { type Subscriber, subscriberSchema } from '@app/domain/subscribers'
import { streamBatchHandler } from '@app/runtime/batch'
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { type SendWelcomeDeps, sendSubscriberEmail } from '../../use-cases/send-welcome'

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>

/**
 * Turns one stream record of blog-site's subscribers table (NEW_IMAGE) into a subscriber, with the
 * table owner's own item schema: the contract between the two services lives in the domain.
 * Throws a `ValidationError` naming what is wrong otherwise.
 */
export const parseSubscriberRecord = (record: DynamoDBRecord): Subscriber => {
  const image = record.dynamodb?.NewImage
  if ((record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') || !image) {
    // The event filter lets only INSERTs and MODIFYs through; a REMOVE (unsubscribed, expired) mails nobody.
    throw new ValidationError(
      `Expected an INSERT or MODIFY with a NEW_IMAGE, got ${record.eventName ?? 'no event name'}`,
    )
  }
  // The Lambda event's AttributeValue type and the SDK's differ only in optional-field shapes.
  return parseOrThrow(
    subscriberSchema,
    unmarshall(image as Record<string, SdkAttributeValue>),
    'record/NewImage',
  )
}

/**
 * `sendWelcome`'s batch handler over its ports: each record is parsed and gets the email its item
 * calls for (confirmation of a pending subscriber, welcome of a confirmed one) on its own, and
 * the failed ones are reported as `batchItemFailures` so the event source mapping retries only from
 * the first failure (the ledger turns the re-delivered successes into no-ops). A batch whose every
 * record failed throws, which lets `bisectBatchOnFunctionError` split it to isolate a poisoned record.
 */
export const createConsumer = (deps: SendWelcomeDeps): StreamHandler => {
  const send = sendSubscriberEmail(deps)
  // The shared stream consumer: the same logger context and metrics flush as every batch handler.
  return streamBatchHandler(async (record: DynamoDBRecord) => send(parseSubscriberRecord(record)))
}
