import { subscriberIdSchema } from '@app/domain/subscribers'
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { z } from 'zod'
import type { ConfirmedSubscribers } from '../ports'

const recipientSchema = z.object({ email: z.email(), subscriberId: subscriberIdSchema })

/**
 * The confirmed subscribers as blog-site's `byStatus` index (partition `status`, sort
 * `subscriberId`, keys only) pages them: a Query of the `confirmed` partition, never a Scan, so
 * pending ones are never read, and removed (unsubscribed) ones are gone from it. The cursor is the
 * page's `LastEvaluatedKey`, as JSON.
 */
export const dynamoConfirmedSubscribers = (
  client: DynamoDBDocumentClient,
  { tableName, indexName, pageSize = 100 }: { tableName: string; indexName: string; pageSize?: number },
): ConfirmedSubscribers => ({
  async page(after) {
    const { Items, LastEvaluatedKey } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: indexName,
        KeyConditionExpression: '#status = :confirmed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':confirmed': 'confirmed' },
        Limit: pageSize,
        ...(after ? { ExclusiveStartKey: JSON.parse(after) as Record<string, unknown> } : {}),
      }),
    )
    // An item that is not a subscription (no id, no address) has nobody to mail.
    const recipients = (Items ?? []).flatMap((item) => {
      const parsed = recipientSchema.safeParse(item)
      return parsed.success ? [parsed.data] : []
    })
    return { recipients, ...(LastEvaluatedKey ? { next: JSON.stringify(LastEvaluatedKey) } : {}) }
  },
})
