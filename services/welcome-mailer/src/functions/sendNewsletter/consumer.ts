import { parseOrThrow, ValidationError } from '@app/domain'
import { isPublication, postSchema } from '@app/domain/posts'
import { streamBatchHandler } from '@app/runtime/batch'
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda'
import { z } from 'zod'
import { type SendNewsletterDeps, sendNewsletter } from '../../use-cases/send-newsletter'

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>

/**
 * What a newsletter takes from blog-site's post item: the domain's field schemas (the contract),
 * the item's other attributes (author, feed, version...) ignored rather than refused.
 */
const newsletterPostSchema = z.object(
  postSchema.pick({ slug: true, title: true, summary: true, body: true }).shape,
)

type Image = NonNullable<DynamoDBRecord['dynamodb']>['NewImage']
// The Lambda event's AttributeValue type and the SDK's differ only in optional-field shapes.
const item = (image: Image) => (image ? unmarshall(image as Record<string, SdkAttributeValue>) : undefined)

/**
 * `sendNewsletter`'s batch handler over its ports: a posts-stream record that publishes a post (the
 * event filter's pattern, checked again on old and new image by the domain) sends it to every
 * confirmed subscriber; any other change mails nobody. An incomplete pass (out of time, retryable
 * failures) fails the record, and the mapping's retry continues where the ledger says.
 */
export const createConsumer = (deps: SendNewsletterDeps, options: { reserveMs: number }): StreamHandler => {
  const send = sendNewsletter(deps)
  return (event, context) =>
    streamBatchHandler(async (record: DynamoDBRecord) => {
      if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY' && record.eventName !== 'REMOVE')
        throw new ValidationError(`Expected a posts-table change, got ${record.eventName ?? 'no event name'}`)
      const before = item(record.dynamodb?.OldImage)
      const after = item(record.dynamodb?.NewImage)
      if (!isPublication(before, after)) return 'not-a-publication'
      const post = parseOrThrow(newsletterPostSchema, after, 'record/NewImage')
      return send(post, {
        remainingMs: () => context.getRemainingTimeInMillis(),
        reserveMs: options.reserveMs,
      })
    })(event, context)
}
