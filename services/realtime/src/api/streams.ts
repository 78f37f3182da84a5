import { streamBatchHandler } from '@app/runtime/batch'
import { logger } from '@app/runtime/observability'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBRecord } from 'aws-lambda'
import type { ConnectionPoster, ConnectionRepository } from '../ports'
import { deliver } from '../use-cases/delivery'
import type { ChangeRecord, Outgoing } from '../use-cases/events'

/** What every stream consumer of this service reads from a DynamoDB stream record: id, kind, images. */
export const changeRecordOf = (record: DynamoDBRecord): ChangeRecord | undefined => {
  const { eventID, eventName, dynamodb } = record
  if (!eventID || (eventName !== 'INSERT' && eventName !== 'MODIFY' && eventName !== 'REMOVE'))
    return undefined
  const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined)
  return {
    eventId: eventID,
    eventName,
    newImage: image(dynamodb?.NewImage),
    oldImage: image(dynamodb?.OldImage),
  }
}

export interface PublisherPorts {
  connections: ConnectionRepository
  poster: ConnectionPoster
}

/**
 * What the three producers' consumers share: a table stream -> messages -> every connection of
 * their audience. A record whose delivery failed (not a gone connection: that one is dropped)
 * throws, so the mapping retries it (bounded, then the failure queue): at-least-once, deduplicated
 * by the client on the message id (the record's eventID).
 */
export const createStreamPublisher = (
  toMessages: (record: ChangeRecord) => Outgoing[],
  ports: PublisherPorts,
  options: { concurrency: number },
) =>
  streamBatchHandler(async (record) => {
    const change = changeRecordOf(record)
    if (!change) return
    for (const { audience, message } of toMessages(change)) {
      const report = await deliver(ports, audience, message, options)
      logger.info('Delivered', { type: message.type, id: message.id, ...report })
    }
  })
