import { ConflictError } from '@app/domain'
import { type JobItem, START_FAILED } from '@app/domain/jobs'
import { conditionalWrite } from '@app/runtime/dynamodb'
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { JobRepository } from '../ports'

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
    await conditionalWrite(
      () =>
        db.send(
          new UpdateCommand({
            TableName: table,
            Key: { jobId },
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_not_exists(jobId) OR #owner = :owner',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: valueMap,
          }),
        ),
      (cause) => {
        throw new ConflictError(`Job ${jobId} belongs to another owner`, { cause })
      },
    )
  }

  return {
    async create(job) {
      await conditionalWrite(
        () =>
          db.send(
            new PutCommand({
              TableName: table,
              Item: { ...job, status: 'RUNNING', expiresAt: expiresAt() },
              ConditionExpression: 'attribute_not_exists(jobId)',
            }),
          ),
        (cause) => {
          throw new ConflictError(`Job ${job.jobId} already exists`, { cause })
        },
      )
    },
    async get(jobId) {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: { jobId }, ConsistentRead: true }),
      )
      return Item as JobItem | undefined
    },
    async reopen(jobId) {
      // Refused when another attempt reopened it, or an execution finished it: nothing to undo.
      await conditionalWrite(
        () =>
          db.send(
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
          ),
        () => undefined,
      )
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
      // Refused when not RUNNING (a state recorded the outcome, or this event came before) or no item.
      return conditionalWrite(
        async () => {
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
        },
        () => false,
      )
    },
  }
}
