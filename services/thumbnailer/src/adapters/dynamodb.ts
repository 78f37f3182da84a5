import { type PhotoResult, photoProgressSchema } from '@app/domain/photos'
import { conditionalWrite } from '@app/runtime/dynamodb'
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { PhotoRecords } from '../ports'

/** Fields only one kind of result has: writing one kind removes the other's (a re-upload may flip it). */
const READY_ONLY = ['width', 'height', 'format', 'thumbnails'] as const
const FAILED_ONLY = ['reason', 'reasonDetail'] as const

/**
 * The photos table (blog-site's; partition key `photoKey`). The thumbnailer only ever updates
 * items blog-site created, and only with a result at least as new as the one they hold.
 */
export const dynamoPhotoRecords = (db: DynamoDBDocumentClient, table: string): PhotoRecords => ({
  async get(photoKey) {
    const { Item } = await db.send(
      new GetCommand({
        TableName: table,
        Key: { photoKey },
        ConsistentRead: true,
        ProjectionExpression: 'photoKey, #status, etag, sourceSequencer, reason',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    )
    return Item ? photoProgressSchema.parse(Item) : undefined
  },

  async save(photoKey, result: PhotoResult) {
    const entries = Object.entries(result)
    const removed = result.status === 'ready' ? FAILED_ONLY : READY_ONLY
    const names = Object.fromEntries(
      [...entries.map(([name]) => name), ...removed].map((name) => [`#${name}`, name]),
    )
    const values = Object.fromEntries(entries.map(([name, value]) => [`:${name}`, value]))
    return conditionalWrite(
      async () => {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { photoKey },
            UpdateExpression: `SET ${entries.map(([name]) => `#${name} = :${name}`).join(', ')} REMOVE ${removed
              .map((name) => `#${name}`)
              .join(', ')}`,
            // Sequencers are normalised to equal-width hex, so string order is S3's event order.
            ConditionExpression:
              'attribute_exists(photoKey) AND (attribute_not_exists(#sourceSequencer) OR #sourceSequencer <= :sourceSequencer)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        )
        return 'saved' as const
      },
      (error) => (error.Item ? 'superseded' : 'missing'),
    )
  },
})
