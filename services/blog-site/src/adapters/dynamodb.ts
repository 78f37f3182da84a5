import { ConflictError, PreconditionFailedError } from '@app/domain'
import {
  type PhotoItem,
  type Post,
  PUBLISHED_FEED,
  photoItemSchema,
  postSchema,
  shownAuthor,
} from '@app/domain/posts'
import { subscriberSchema } from '@app/domain/subscribers'
import { conditionalWrite, isConditionFailure } from '@app/runtime/dynamodb'
import { logger } from '@app/runtime/observability'
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb'
import type { PhotosRepository, PostsRepository, SubscribersRepository } from '../ports'

/**
 * DynamoDB adapters. Table layouts (declared once in serverless.yml):
 * - posts: partition `slug`; GSI `byPublished` (partition `feed`, sort `publishedAt`, body not
 *   projected) gives the newest-first list with a Query. Every post sits in the one `feed`
 *   partition: a blog writes a few items a week and its reads are served by the CDN, far below
 *   a partition's limits, and one partition keeps the order total without a scatter-gather.
 * - subscribers: partition `email` (normalised); GSI `bySubscriberId` (keys only) finds the
 *   subscription a signed link names (links carry the random id, never the address).
 * - photos: partition `photoKey`; GSI `byPost` (partition `postSlug`, sort `uploadedAt`).
 */

export const POSTS_FEED_INDEX = 'byPublished'
export const PHOTOS_BY_POST_INDEX = 'byPost'
export const SUBSCRIBERS_BY_ID_INDEX = 'bySubscriberId'
/** The partition of the feed index that holds published posts (the newsletter reads it on the stream). */
const PUBLISHED = PUBLISHED_FEED

/** Stored items are ours, but a bad one must not take the whole list down: skip it, loudly. */
const parseStored = <T>(parse: (item: unknown) => T | undefined, item: unknown, table: string): T[] => {
  const value = parse(item)
  if (value === undefined) logger.error('Skipping malformed item', { table })
  return value === undefined ? [] : [value]
}

export const dynamoPostsRepository = (db: DynamoDBDocumentClient, table: string): PostsRepository => {
  const summaryParse = (item: unknown) => {
    const parsed = postSchema.omit({ body: true }).safeParse(item)
    return parsed.success ? { ...parsed.data, author: shownAuthor(parsed.data.author) } : undefined
  }
  /** Puts the whole post (in the feed) if `condition` holds; `refused` throws what a refusal means. */
  const putIf = (
    post: Post,
    condition: Pick<
      PutCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
    refused: (error: Error) => never,
  ) =>
    conditionalWrite(
      () => db.send(new PutCommand({ TableName: table, Item: { ...post, feed: PUBLISHED }, ...condition })),
      refused,
    )
  return {
    async get(slug) {
      const { Item } = await db.send(new GetCommand({ TableName: table, Key: { slug } }))
      if (!Item) return undefined
      const { feed: _feed, ...stored } = Item
      const post = postSchema.parse(stored)
      // Posts written before display names hold the Cognito username there: never shown.
      return { ...post, author: shownAuthor(post.author) }
    },
    async create(post) {
      await putIf(post, { ConditionExpression: 'attribute_not_exists(slug)' }, (error) => {
        throw new ConflictError(`A post with the slug "${post.slug}" already exists`, { cause: error })
      })
    },
    async replace(post, expectedVersion) {
      await putIf(
        post,
        {
          ConditionExpression: 'attribute_exists(slug) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
        (error) => {
          throw new PreconditionFailedError(
            `The post changed since version ${expectedVersion}: fetch it again and reapply your edit`,
            { cause: error },
          )
        },
      )
    },
    async listNewestFirst(limit, after) {
      const result = await db.send(
        new QueryCommand({
          TableName: table,
          IndexName: POSTS_FEED_INDEX,
          KeyConditionExpression: 'feed = :feed',
          ExpressionAttributeValues: { ':feed': PUBLISHED },
          ScanIndexForward: false,
          Limit: limit,
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      )
      const items = (result.Items ?? []).flatMap((item) => {
        const { feed: _feed, ...rest } = item
        return parseStored(summaryParse, rest, table)
      })
      return { items, ...(result.LastEvaluatedKey ? { next: result.LastEvaluatedKey } : {}) }
    },
  }
}

export const dynamoSubscribersRepository = (
  db: DynamoDBDocumentClient,
  table: string,
): SubscribersRepository => {
  /** The address of a subscription id (the index is eventually consistent: writes re-check the id). */
  const emailOf = async (subscriberId: string) => {
    const { Items } = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: SUBSCRIBERS_BY_ID_INDEX,
        KeyConditionExpression: 'subscriberId = :id',
        ExpressionAttributeValues: { ':id': subscriberId },
        Limit: 1,
      }),
    )
    const email = Items?.[0]?.email
    return typeof email === 'string' ? email : undefined
  }
  return {
    async addIfAbsent(subscriber) {
      try {
        await db.send(
          new PutCommand({
            TableName: table,
            Item: subscriber,
            // The guard of one confirmation per subscribe: a repeat writes nothing, so the stream
            // carries no second INSERT.
            ConditionExpression: 'attribute_not_exists(email)',
          }),
        )
        return true
      } catch (error) {
        if (isConditionFailure(error)) return false
        throw error
      }
    },
    async get(email) {
      const { Item } = await db.send(
        new GetCommand({ TableName: table, Key: { email }, ConsistentRead: true }),
      )
      const parsed = subscriberSchema.safeParse(Item)
      return parsed.success ? parsed.data : undefined
    },
    async renewConfirmation(email, round, now, expiresAt) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { email },
            UpdateExpression:
              'SET confirmationRound = :next, lastConfirmationAt = :now, expiresAt = :expiresAt',
            // Only the round we read: two concurrent repeats start one new round, one email.
            ConditionExpression: '#status = :pending AND confirmationRound = :round',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pending': 'pending',
              ':round': round,
              ':next': round + 1,
              ':now': now.toISOString(),
              ':expiresAt': expiresAt,
            },
          }),
        )
        return true
      } catch (error) {
        if (isConditionFailure(error)) return false
        throw error
      }
    },
    async confirm(subscriberId, now) {
      const email = await emailOf(subscriberId)
      if (!email) return 'not-found'
      try {
        await db.send(
          new UpdateCommand({
            TableName: table,
            Key: { email },
            // Confirmed, it no longer expires.
            UpdateExpression: 'SET #status = :confirmed, confirmedAt = :now REMOVE expiresAt',
            ConditionExpression: 'subscriberId = :id AND #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':id': subscriberId,
              ':pending': 'pending',
              ':confirmed': 'confirmed',
              ':now': now.toISOString(),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        )
        return 'confirmed'
      } catch (error) {
        if (!isConditionFailure(error)) throw error
        const old = (error as { Item?: Record<string, { S?: string }> }).Item
        return old?.subscriberId?.S === subscriberId && old.status?.S === 'confirmed'
          ? 'already-confirmed'
          : 'not-found'
      }
    },
    async removeById(subscriberId) {
      const email = await emailOf(subscriberId)
      if (!email) return false
      try {
        await db.send(
          new DeleteCommand({
            TableName: table,
            Key: { email },
            // Only the subscription the token names, never a newer one of the same address.
            ConditionExpression: 'subscriberId = :id',
            ExpressionAttributeValues: { ':id': subscriberId },
          }),
        )
        return true
      } catch (error) {
        if (isConditionFailure(error)) return false
        throw error
      }
    },
  }
}

export const dynamoPhotosRepository = (db: DynamoDBDocumentClient, table: string): PhotosRepository => {
  const parse = (item: unknown): PhotoItem | undefined => {
    const parsed = photoItemSchema.safeParse(item)
    return parsed.success ? parsed.data : undefined
  }
  return {
    async addPending(photo) {
      await db.send(
        new PutCommand({
          TableName: table,
          Item: photo,
          // Keys carry a fresh UUID; the condition only guards against overwriting the
          // thumbnailer's result should an id ever repeat.
          ConditionExpression: 'attribute_not_exists(photoKey)',
        }),
      )
    },
    async listVisibleByPost(postSlug, { limit, pendingSince }) {
      // Newest first, paging until `limit` visible photos or the end of the post's photos. The
      // filter runs here: DynamoDB refuses a FilterExpression on the index's sort key (uploadedAt).
      const photos: PhotoItem[] = []
      let start: Record<string, unknown> | undefined
      do {
        const result = await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: PHOTOS_BY_POST_INDEX,
            KeyConditionExpression: 'postSlug = :slug',
            ExpressionAttributeValues: { ':slug': postSlug },
            ScanIndexForward: false,
            Limit: limit,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        )
        photos.push(
          ...(result.Items ?? [])
            .flatMap((item) => parseStored(parse, item, table))
            .filter(
              (photo) =>
                photo.status === 'ready' || (photo.status === 'pending' && photo.uploadedAt >= pendingSince),
            ),
        )
        start = result.LastEvaluatedKey
      } while (start && photos.length < limit)
      return photos.slice(0, limit)
    },
  }
}

export type { Post }
