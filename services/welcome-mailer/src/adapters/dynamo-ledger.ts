import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { ClaimLostError, type ClaimOutcome, type SentLedger } from '../ports'

/**
 * The ledger as one DynamoDB item per address: `{ email, state: 'claimed'|'sent', owner,
 * leaseUntil (epoch ms), attempts, messageId?, sentAt? }`. Every transition is a conditional write.
 */
export const dynamoSentLedger = (client: DynamoDBDocumentClient, tableName: string): SentLedger => ({
  async claim(key, owner, now, leaseUntil): Promise<ClaimOutcome> {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { email: key },
          UpdateExpression:
            'SET #state = :claimed, #owner = :owner, #leaseUntil = :leaseUntil, #claimedAt = :now, #attempts = if_not_exists(#attempts, :zero) + :one',
          // Free, or claimed by a delivery whose lease has run out (it crashed or timed out).
          ConditionExpression: 'attribute_not_exists(#email) OR (#state = :claimed AND #leaseUntil < :nowMs)',
          ExpressionAttributeNames: {
            '#email': 'email',
            '#state': 'state',
            '#owner': 'owner',
            '#leaseUntil': 'leaseUntil',
            '#claimedAt': 'claimedAt',
            '#attempts': 'attempts',
          },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':owner': owner,
            ':leaseUntil': leaseUntil.getTime(),
            ':now': now.toISOString(),
            ':nowMs': now.getTime(),
            ':zero': 0,
            ':one': 1,
          },
        }),
      )
      return 'claimed'
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error
    }
    // Lost the race: find out whether the winner already finished. A strongly consistent read, so a
    // `sent` written before our failed condition is seen; anything else means "try again later".
    const { Item } = await client.send(
      new GetCommand({
        TableName: tableName,
        Key: { email: key },
        ConsistentRead: true,
        ProjectionExpression: '#state',
        ExpressionAttributeNames: { '#state': 'state' },
      }),
    )
    return Item?.state === 'sent' ? 'sent' : 'busy'
  },

  async markSent(key, owner, messageId, now) {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { email: key },
          UpdateExpression: 'SET #state = :sent, #messageId = :messageId, #sentAt = :now REMOVE #leaseUntil',
          ConditionExpression: '#state = :claimed AND #owner = :owner',
          ExpressionAttributeNames: {
            '#state': 'state',
            '#owner': 'owner',
            '#messageId': 'messageId',
            '#sentAt': 'sentAt',
            '#leaseUntil': 'leaseUntil',
          },
          ExpressionAttributeValues: {
            ':sent': 'sent',
            ':claimed': 'claimed',
            ':owner': owner,
            ':messageId': messageId,
            ':now': now.toISOString(),
          },
        }),
      )
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ClaimLostError(key)
      throw error
    }
  },

  async release(key, owner) {
    try {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { email: key },
          ConditionExpression: '#state = :claimed AND #owner = :owner',
          ExpressionAttributeNames: { '#state': 'state', '#owner': 'owner' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':owner': owner },
        }),
      )
    } catch (error) {
      // Not ours any more (lease ran out and someone else claimed): theirs to finish.
      if (!(error instanceof ConditionalCheckFailedException)) throw error
    }
  },
})
