import type { Topic } from '@app/domain/realtime'
import { isConditionFailure } from '@app/runtime/dynamodb'
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import type { ConnectionRepository } from '../ports'

/**
 * The connections table, one item per connection under its user and one per subscription under its
 * topic, so each fan-out is one Query on one partition:
 *   pk `user#<sub>`    sk `connection#<id>`  connectedAt, expiresAt, topics (string set)
 *   pk `topic#<topic>` sk `connection#<id>`  userId, expiresAt (the connection's)
 * `expiresAt` (epoch seconds) is the table's TTL: API Gateway closes a connection after 2 hours at
 * most, so an item outliving its `$disconnect` (a crashed disconnect, a lost event) ages out. TTL
 * deletes lazily (up to days), so reads skip expired items themselves.
 */
export interface ConnectionsTableOptions {
  /** Seconds a connection item lives: API Gateway's 2-hour connection limit plus a margin. */
  ttlSeconds: number
  now?: () => number
}

const userKey = (userId: string) => `user#${userId}`
const topicKey = (topic: Topic) => `topic#${topic}`
const connectionKey = (connectionId: string) => `connection#${connectionId}`
const fromSortKey = (sk: string) => sk.slice('connection#'.length)
/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_LIMIT = 25

export const createConnectionRepository = (
  db: DynamoDBDocumentClient,
  tableName: string,
  options: ConnectionsTableOptions,
): ConnectionRepository => {
  const now = options.now ?? Date.now
  const nowSeconds = () => Math.floor(now() / 1000)

  const queryLive = async (pk: string): Promise<Array<Record<string, unknown>>> => {
    const items: Array<Record<string, unknown>> = []
    let startKey: Record<string, unknown> | undefined
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':pk': pk, ':now': nowSeconds() },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      )
      items.push(...(page.Items ?? []))
      startKey = page.LastEvaluatedKey
    } while (startKey)
    return items
  }

  return {
    async add({ userId, connectionId }) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: userKey(userId),
            sk: connectionKey(connectionId),
            connectedAt: now(),
            expiresAt: nowSeconds() + options.ttlSeconds,
          },
        }),
      )
    },

    async remove({ userId, connectionId }) {
      const { Attributes } = await db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { pk: userKey(userId), sk: connectionKey(connectionId) },
          ReturnValues: 'ALL_OLD',
        }),
      )
      const topics = [...((Attributes?.topics as Set<Topic> | undefined) ?? [])]
      for (let start = 0; start < topics.length; start += BATCH_WRITE_LIMIT) {
        let requests: Record<string, unknown[]> | undefined = {
          [tableName]: topics.slice(start, start + BATCH_WRITE_LIMIT).map((topic) => ({
            DeleteRequest: { Key: { pk: topicKey(topic), sk: connectionKey(connectionId) } },
          })),
        }
        // Unprocessed items (throttling) go again; the SDK's retry strategy spaces the calls.
        while (requests && Object.keys(requests).length > 0) {
          const { UnprocessedItems } = await db.send(
            new BatchWriteCommand({ RequestItems: requests as never }),
          )
          requests = UnprocessedItems as Record<string, unknown[]> | undefined
        }
      }
    },

    async ofUser(userId) {
      return (await queryLive(userKey(userId))).map((item) => ({
        userId,
        connectionId: fromSortKey(String(item.sk)),
      }))
    },

    async subscribe({ userId, connectionId }, topic) {
      let expiresAt: number
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: userKey(userId), sk: connectionKey(connectionId) },
            UpdateExpression: 'ADD topics :topic',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':topic': new Set([topic]) },
            ReturnValues: 'ALL_NEW',
          }),
        )
        expiresAt = Number(Attributes?.expiresAt)
      } catch (error) {
        if (isConditionFailure(error)) return false
        throw error
      }
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: topicKey(topic), sk: connectionKey(connectionId), userId, expiresAt },
        }),
      )
      return true
    },

    async subscribersOf(topic) {
      return (await queryLive(topicKey(topic))).map((item) => ({
        userId: String(item.userId),
        connectionId: fromSortKey(String(item.sk)),
      }))
    },
  }
}
