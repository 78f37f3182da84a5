import { counterExpiresAt, dailyQuotaExceeded, utcDay } from '@app/domain/quota'
import { conditionalWrite } from '@app/runtime/dynamodb'
import { logger, MetricUnit, metrics } from '@app/runtime/observability'
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { JobQuota } from '../ports'

/** Days a counter stays after its UTC day ends (TTL), for operators; no start reads it again. */
export const QUOTA_KEEP_DAYS = 3

/**
 * The quota table adapter: one item per owner and UTC day (`owner` + `day`), `n` the jobs counted.
 * Taking is one conditional UpdateItem (`attribute_not_exists(n) OR n < :limit`), so DynamoDB
 * serialises concurrent starts on the item and never counts past the limit; no read comes first.
 */
export const createJobQuota = (db: DynamoDBDocumentClient, table: string, limit: number): JobQuota => {
  /** One conditional update of the counter of `owner` on `day`. */
  const update = (
    key: { owner: string; day: string },
    change: { expression: string; condition: string; values: Record<string, unknown> },
  ) =>
    db.send(
      new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: change.expression,
        ConditionExpression: change.condition,
        ExpressionAttributeValues: change.values,
      }),
    )

  return {
    async take(owner, at) {
      const day = utcDay(at)
      await conditionalWrite(
        () =>
          update(
            { owner, day },
            {
              expression: 'ADD n :one SET expiresAt = :expiresAt',
              condition: 'attribute_not_exists(n) OR n < :limit',
              values: { ':one': 1, ':limit': limit, ':expiresAt': counterExpiresAt(at, QUOTA_KEEP_DAYS) },
            },
          ),
        () => {
          throw dailyQuotaExceeded('workflow jobs', limit, at)
        },
      )
      return day
    },
    async giveBack(owner, day) {
      try {
        // Conditional, so a counter that expired or was never written is not driven below zero.
        await conditionalWrite(
          () =>
            update(
              { owner, day },
              {
                expression: 'ADD n :minusOne',
                condition: 'n > :zero',
                values: { ':minusOne': -1, ':zero': 0 },
              },
            ),
          () => undefined,
        )
      } catch (error) {
        // The start's own error is what the caller must see; this one costs them one job of the day.
        logger.warn('Job quota give-back failed', { day, error: error as Error })
        metrics.addMetric('JobQuotaGiveBackFailed', MetricUnit.Count, 1)
      }
    },
  }
}
