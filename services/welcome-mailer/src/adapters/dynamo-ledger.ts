import { conditionalWrite, isConditionFailure } from '@app/runtime/dynamodb'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { ClaimLostError, type ClaimOutcome, type SentLedger, type UncertainReason } from '../ports'

/**
 * The ledger as one DynamoDB item per message: `{ messageKey (e.g. `welcome#<subscriberId>`: no
 * address, so unsubscribing forgets it), state: 'claimed'|'sent'|'uncertain',
 * owner, leaseUntil (epoch ms, claims only), claimedAt, messageId?, sentAt?, reason? }`. Every
 * transition is a conditional write (the state machine: src/ports.ts and the README).
 */
export const dynamoSentLedger = (client: DynamoDBDocumentClient, tableName: string): SentLedger => {
  /** Runs a conditional write; `false` when its condition did not hold. */
  const conditional = (command: UpdateCommand | DeleteCommand) =>
    conditionalWrite(
      async () => {
        await client.send(command as UpdateCommand)
        return true
      },
      () => false,
    )
  /** The write that ends a claim `uncertain` (terminal), under `condition`. */
  const toUncertain = (
    key: string,
    reason: UncertainReason,
    now: Date,
    condition: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
  ) =>
    new UpdateCommand({
      TableName: tableName,
      Key: { messageKey: key },
      UpdateExpression: 'SET #state = :uncertain, #reason = :reason, #endedAt = :now REMOVE #leaseUntil',
      ConditionExpression: condition,
      ExpressionAttributeNames: {
        ...names,
        '#state': 'state',
        '#reason': 'reason',
        '#endedAt': 'endedAt',
        '#leaseUntil': 'leaseUntil',
      },
      ExpressionAttributeValues: {
        ...values,
        ':uncertain': 'uncertain',
        ':claimed': 'claimed',
        ':reason': reason,
        ':now': now.toISOString(),
      },
    })
  const ours = {
    ConditionExpression: '#state = :claimed AND #owner = :owner',
    names: { '#state': 'state', '#owner': 'owner' },
  }
  return {
    async claim(key, owner, now, leaseUntil): Promise<ClaimOutcome> {
      let existing: Record<string, unknown>
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { messageKey: key },
            UpdateExpression:
              'SET #state = :claimed, #owner = :owner, #leaseUntil = :leaseUntil, #claimedAt = :now',
            // Free only: a claim is never taken over, since its holder may have sent before it died.
            ConditionExpression: 'attribute_not_exists(#messageKey)',
            // A failed condition returns the item as it is: one round trip tells every case apart.
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            ExpressionAttributeNames: {
              '#messageKey': 'messageKey',
              '#state': 'state',
              '#owner': 'owner',
              '#leaseUntil': 'leaseUntil',
              '#claimedAt': 'claimedAt',
            },
            ExpressionAttributeValues: {
              ':claimed': 'claimed',
              ':owner': owner,
              ':leaseUntil': leaseUntil.getTime(),
              ':now': now.toISOString(),
            },
          }),
        )
        return 'claimed'
      } catch (error) {
        if (!isConditionFailure(error)) throw error
        existing = unmarshall((error.Item ?? {}) as Record<string, AttributeValue>)
      }
      if (existing.state === 'sent' || existing.state === 'uncertain') return existing.state
      if (!(Number(existing.leaseUntil) < now.getTime())) return 'busy'
      // A claim whose lease ran out belongs to a delivery that died, maybe after SES accepted: it
      // ends uncertain, once (the condition lets one caller make that move and report it).
      const abandoned = await conditional(
        toUncertain(
          key,
          'lease-expired',
          now,
          '#state = :claimed AND #leaseUntil < :nowMs',
          {
            '#leaseUntil': 'leaseUntil',
          },
          { ':nowMs': now.getTime() },
        ),
      )
      // Losing that race means another delivery just made it uncertain (and reports it).
      return abandoned ? 'abandoned' : 'uncertain'
    },

    async markSent(key, owner, messageId, now) {
      const marked = await conditional(
        new UpdateCommand({
          TableName: tableName,
          Key: { messageKey: key },
          UpdateExpression: 'SET #state = :sent, #messageId = :messageId, #sentAt = :now REMOVE #leaseUntil',
          ConditionExpression: ours.ConditionExpression,
          ExpressionAttributeNames: {
            ...ours.names,
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
      if (!marked) throw new ClaimLostError(key)
    },

    async markUncertain(key, owner, reason, now) {
      // Not ours any more: someone already turned the expired claim uncertain.
      await conditional(
        toUncertain(key, reason, now, ours.ConditionExpression, ours.names, { ':owner': owner }),
      )
    },

    async release(key, owner) {
      // Not ours any more (lease ran out and it became uncertain): nothing to give back.
      await conditional(
        new DeleteCommand({
          TableName: tableName,
          Key: { messageKey: key },
          ConditionExpression: ours.ConditionExpression,
          ExpressionAttributeNames: ours.names,
          ExpressionAttributeValues: { ':claimed': 'claimed', ':owner': owner },
        }),
      )
    },
  }
}
