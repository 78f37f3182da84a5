import { ConflictError } from '@app/domain'
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { JobRepository } from '../ports'
import { type JobItem, START_FAILED } from '../use-cases/job-model'

/** Jobs table adapter. `now` and retention are injected so tests control time. */
export const createJobRepository = (
  db: DynamoDBDocumentClient,
  table: string,
  options: { retentionDays: number; now?: () => Date },
): JobRepository => {
  const now = options.now ?? (() => new Date())
  const expiresAt = () => Math.floor(now().getTime() / 1000) + options.retentionDays * 86_400

  /** Upsert of a final state: creates the item for executions started without the API. */
  const finish = async (jobId: string, owner: string, values: Record<string, unknown>) => {
    const names: Record<string, string> = { '#owner': 'owner' }
    const valueMap: Record<string, unknown> = { ':owner': owner }
    const sets = ['#owner = if_not_exists(#owner, :owner)']
    for (const [key, value] of Object.entries({
      ...values,
      finishedAt: now().toISOString(),
      expiresAt: expiresAt(),
    })) {
      names[`#${key}`] = key
      valueMap[`:${key}`] = value
      sets.push(`#${key} = :${key}`)
    }
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: { jobId },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(jobId) OR #owner = :owner',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: valueMap,
        }),
      )
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new ConflictError(`Job ${jobId} belongs to another owner`, { cause: error })
      throw error
    }
  }

  return {
    async create(job) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: { ...job, status: 'RUNNING', expiresAt: expiresAt() },
            ConditionExpression: 'attribute_not_exists(jobId)',
          }),
        )
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException)
          throw new ConflictError(`Job ${job.jobId} already exists`, { cause: error })
        throw error
      }
    },
    async get(jobId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: { jobId }, ConsistentRead: true }),
      )
      return Item as JobItem | undefined
    },
    async reopen(jobId) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { jobId },
            UpdateExpression: 'SET #status = :running REMOVE #error, finishedAt',
            ConditionExpression: '#status = :failed AND #error.#name = :startFailed',
            ExpressionAttributeNames: { '#status': 'status', '#error': 'error', '#name': 'name' },
            ExpressionAttributeValues: {
              ':running': 'RUNNING',
              ':failed': 'FAILED',
              ':startFailed': START_FAILED,
            },
          }),
        )
      } catch (error) {
        // Another attempt reopened it, or an execution finished it: nothing to undo.
        if (!(error instanceof ConditionalCheckFailedException)) throw error
      }
    },
    async started(jobId, executionArn) {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: { jobId },
          UpdateExpression: 'SET executionArn = :arn',
          ExpressionAttributeValues: { ':arn': executionArn },
        }),
      )
    },
    succeeded: ({ jobId, owner, workflow, result }) =>
      finish(jobId, owner, { workflow, status: 'SUCCEEDED', result }),
    failed: ({ jobId, owner, workflow, error }) =>
      finish(jobId, owner, { workflow, status: 'FAILED', error }),
    async ended(jobId, status, error) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { jobId },
            UpdateExpression:
              'SET #status = :status, #error = :error, finishedAt = :now, expiresAt = :expires',
            ConditionExpression: '#status = :running',
            ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
            ExpressionAttributeValues: {
              ':status': status,
              ':error': error,
              ':running': 'RUNNING',
              ':now': now().toISOString(),
              ':expires': expiresAt(),
            },
          }),
        )
        return true
      } catch (error) {
        // Not RUNNING (a state recorded the outcome, or this event came before) or no item at all.
        if (error instanceof ConditionalCheckFailedException) return false
        throw error
      }
    },
  }
}
