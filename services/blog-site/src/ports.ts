import type { PhotoItem, Post } from '@app/domain/posts'
import type { Subscriber } from '@app/domain/subscribers'

/**
 * The ports the use cases need. Adapters for AWS (and its local stand-ins) live in `../adapters`;
 * unit tests pass in-memory fakes. Every port speaks domain types, never DynamoDB or S3 shapes.
 */

/** An opaque, storage-specific position in a listing (a DynamoDB LastEvaluatedKey). */
export type PageKey = Record<string, unknown>

export interface Page<T> {
  items: T[]
  next?: PageKey
}

export interface PostsRepository {
  get(slug: string): Promise<Post | undefined>
  /** Throws `ConflictError` when the slug is taken. */
  create(post: Post): Promise<void>
  /** Writes `post` if the stored one still has `expectedVersion`; `PreconditionFailedError` if not. */
  replace(post: Post, expectedVersion: number): Promise<void>
  /** Published posts, newest first; the items carry no body. */
  listNewestFirst(limit: number, after?: PageKey): Promise<Page<Omit<Post, 'body'>>>
}

export interface SubscribersRepository {
  /** Stores the subscriber unless the address is already there; `false` when nothing was written. */
  addIfAbsent(subscriber: Subscriber): Promise<boolean>
  get(email: string): Promise<Subscriber | undefined>
  /**
   * Starts confirmation round `round + 1` of a still pending subscriber whose round is `round`
   * (the stream MODIFY makes the mailer send it); `false` when it changed meanwhile.
   */
  renewConfirmation(email: string, round: number, now: Date, expiresAt: number): Promise<boolean>
  /** Confirms the pending subscription `subscriberId`: what it found. */
  confirm(subscriberId: string, now: Date): Promise<'confirmed' | 'already-confirmed' | 'not-found'>
  /** Deletes the subscription `subscriberId`; `false` when there is none (any more). */
  removeById(subscriberId: string): Promise<boolean>
}

export interface PhotosRepository {
  addPending(photo: PhotoItem & { uploadedBy: string; contentLength: number }): Promise<void>
  /**
   * The post's newest `limit` visible photos, newest first: ready ones, and pending ones uploaded at
   * or after `pendingSince` (older pending ones are abandoned uploads). Abandoned uploads never count
   * against `limit`, however many there are.
   */
  listVisibleByPost(postSlug: string, options: { limit: number; pendingSince: string }): Promise<PhotoItem[]>
}

export interface PhotoUploadSigner {
  /** A URL that accepts exactly one PUT of this type and size to `key` until `expiresInSeconds`. */
  presignPut(input: {
    key: string
    contentType: string
    contentLength: number
    expiresInSeconds: number
  }): Promise<string>
}

/** The CDN in front of the API. Locally there is none, so the local adapter has nothing to drop. */
export interface Cdn {
  invalidate(paths: readonly string[]): Promise<void>
}

export interface Clock {
  now(): Date
}
