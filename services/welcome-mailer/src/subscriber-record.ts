import { parseOrThrow, ValidationError } from '@app/domain'
import { type Subscriber, subscriberSchema } from '@app/domain/subscribers'
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBRecord } from 'aws-lambda'

/**
 * Turns one stream record of blog-site's subscribers table (NEW_IMAGE) into a subscriber, with the
 * table owner's own item schema: the contract between the two services lives in the domain.
 * Throws a `ValidationError` naming what is wrong otherwise.
 */
export const parseSubscriberRecord = (record: DynamoDBRecord): Subscriber => {
  const image = record.dynamodb?.NewImage
  if (record.eventName !== 'INSERT' || !image) {
    // The event filter lets only INSERTs through; anything else is a misconfiguration, not a subscriber.
    throw new ValidationError(
      `Expected an INSERT with a NEW_IMAGE, got ${record.eventName ?? 'no event name'}`,
    )
  }
  // The Lambda event's AttributeValue type and the SDK's differ only in optional-field shapes.
  return parseOrThrow(
    subscriberSchema,
    unmarshall(image as Record<string, SdkAttributeValue>),
    'record/NewImage',
  )
}
