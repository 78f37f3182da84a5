/**
 * The realtime contract (services/realtime): what a WebSocket client may send and what it receives.
 * Every server message is a JSON object with at least `type` and `id`; `id` is the producing event's
 * own id (a DynamoDB stream record's `eventID`), the same on every redelivery, so a client dedupes on it.
 */
import { z } from 'zod'
import { slugSchema } from '../posts/slug'

/** A topic a client subscribes to. Only posts' public photo status: a user's own jobs and todos need none. */
export const topicSchema = z.templateLiteral(['post:', slugSchema])
export type Topic = z.output<typeof topicSchema>

/** `{"action":"subscribe","topic":"post:<slug>"}` (the API's route selection key is `action`). */
export const subscribeMessageSchema = z.object({ action: z.literal('subscribe'), topic: topicSchema })
export type SubscribeMessage = z.output<typeof subscribeMessageSchema>

/** What a producer hands to delivery: who hears it, and the message itself. */
export type Audience = { readonly user: string } | { readonly topic: Topic }

export interface ServerMessage {
  /** e.g. `todo.changed`, `job.finished`, `photo.ready`; `subscribed` and `error` answer a client's own message. */
  readonly type: string
  /** Stable across redeliveries of the same event: the client's deduplication key. */
  readonly id: string
  readonly [field: string]: unknown
}
