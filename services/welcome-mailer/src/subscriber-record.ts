import { parseOrThrow, ValidationError } from '@app/domain'
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBRecord } from 'aws-lambda'
import { z } from 'zod'

/**
 * The part of a subscriber item (blog-site's subscribers table, NEW_IMAGE) the welcome needs.
 * The table's owner normalised `email` before writing it; we only check it is still an address.
 */
export const subscriberImageSchema = z.object({
  email: z.email(),
  subscribedAt: z.iso.datetime({ offset: true }),
  unsubscribeToken: z.string().min(1),
  source: z.string().optional(),
})

export type SubscriberImage = z.output<typeof subscriberImageSchema>

/** Turns one stream record into a subscriber, or throws a `ValidationError` naming what is wrong. */
export const parseSubscriberRecord = (record: DynamoDBRecord): SubscriberImage => {
  const image = record.dynamodb?.NewImage
  if (record.eventName !== 'INSERT' || !image) {
    // The event filter lets only INSERTs through; anything else is a misconfiguration, not a subscriber.
    throw new ValidationError(
      `Expected an INSERT with a NEW_IMAGE, got ${record.eventName ?? 'no event name'}`,
    )
  }
  // The Lambda event's AttributeValue type and the SDK's differ only in optional-field shapes.
  return parseOrThrow(
    subscriberImageSchema,
    unmarshall(image as Record<string, SdkAttributeValue>),
    'record/NewImage',
  )
}
