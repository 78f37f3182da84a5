import type { Todo, TodoChange, TodoStatus } from '@app/domain/todos'

/**
 * What the use cases need from the outside world. Adapters (DynamoDB, S3, Powertools) implement
 * these at the entry points; unit tests pass in-memory fakes.
 */

/** An opaque position in a listing; only the repository that produced it understands it. */
export type PageKey = Record<string, unknown>

export interface TodoRepository {
  /** Stores a new todo; the id is fresh, so an existing one is a bug, not a conflict. */
  create(sub: string, todo: Todo): Promise<void>
  /**
   * The caller's todo, or undefined when it does not exist or belongs to someone else. May come from
   * a read cache where the stage has one; `latest` reads the table itself, strongly consistent: the
   * read a conditional write compares against, and the todo a 412 reports.
   */
  get(sub: string, id: string, options?: { latest?: boolean }): Promise<Todo | undefined>
  /** Newest first, optionally one status only. `after` is a `next` this method returned. */
  list(
    sub: string,
    query: { status?: TodoStatus | undefined; limit: number; after?: PageKey | undefined },
  ): Promise<{ items: Todo[]; next?: PageKey }>
  /** Replaces the todo if its stored version is still `expectedVersion`, else PreconditionFailedError. */
  replace(sub: string, todo: Todo, expectedVersion: number): Promise<void>
  /** Deletes; NotFoundError if absent, PreconditionFailedError if `expectedVersion` is stale. */
  remove(sub: string, id: string, expectedVersion?: number): Promise<void>
  /**
   * The caller's change feed: every todo whose last write (create, replace or remove) has a per-user
   * sequence number above `after`, oldest first, each once with its latest state or its tombstone.
   * Tombstones outlive the deletion by CHANGE_RETENTION_DAYS at least.
   */
  changes(
    sub: string,
    query: { after: number; limit: number },
  ): Promise<{ changes: SequencedChange[]; more: boolean }>
}

/** A change with its place in the user's sequence. */
export type SequencedChange = TodoChange & { seq: number }

export interface Clock {
  now(): Date
}

export interface IdGenerator {
  /** A new, unique, time-sortable id. */
  next(): string
}

/**
 * Runs `work` at most once per (user, key): a repeat with the same payload gets the first result,
 * a repeat with another payload is an IdempotencyKeyReusedError, a repeat while the first is still
 * running is a ConflictError.
 */
export interface Idempotency {
  once<T>(
    scope: { sub: string; key: string },
    payload: unknown,
    work: () => Promise<T>,
    options?: { remainingTimeInMillis?: () => number },
  ): Promise<T>
}

export type FileOperation = 'upload' | 'download' | 'delete'

export interface PresignedRequest {
  method: 'PUT' | 'GET' | 'DELETE'
  url: string
  headers: Record<string, string>
  expiresAt: Date
}

export interface FileStore {
  presignUpload(key: string, contentType: string, size: number): Promise<PresignedRequest>
  presignDownload(key: string): Promise<PresignedRequest>
  presignDelete(key: string): Promise<PresignedRequest>
  exists(key: string): Promise<boolean>
  list(
    prefix: string,
    limit: number,
    after?: string,
  ): Promise<{ items: { key: string; size: number; lastModified: Date }[]; next?: string }>
}
