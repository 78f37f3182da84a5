/**
 * Typed domain errors. The domain says *what* went wrong; the HTTP edge (packages/runtime/src/http)
 * is the one place that maps each kind to a status code and a problem document. Errors only that
 * edge raises (missing token, body too large) live there (packages/runtime/src/http/errors.ts).
 * `cause` keeps the original error for logs without ever reaching a response body.
 */
export interface FieldIssue {
  /** JSON Pointer (RFC 6901) to the offending field, e.g. `/body/title`; `''` for the whole input. */
  readonly pointer: string
  readonly detail: string
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind
  /** RFC 9457 extension members for the problem body (e.g. a 412's current representation). */
  readonly extensions: Readonly<Record<string, unknown>> | undefined
  constructor(message: string, options?: { cause?: unknown; extensions?: Record<string, unknown> }) {
    super(message, options)
    this.name = new.target.name
    this.extensions = options?.extensions
  }
}

export type DomainErrorKind =
  | 'validation'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition-failed'
  | 'precondition-required'
  | 'idempotency-key-reused'
  | 'unsupported-media-type'
  | 'gone'
  | 'quota-exceeded'

/** Input that does not satisfy its schema or a business rule. */
export class ValidationError extends DomainError {
  readonly kind = 'validation'
  constructor(
    message: string,
    readonly issues: readonly FieldIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Authenticated, but not allowed (e.g. not in the `authors` group). */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden'
}

/** Missing, or owned by someone else: callers never learn which. */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found'
}

/** The request conflicts with the current state (e.g. a slug already taken). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict'
}

/** Optimistic concurrency: the caller's version is stale. */
export class PreconditionFailedError extends DomainError {
  readonly kind = 'precondition-failed'
}

/** A conditional update was sent without the version it must be conditioned on. */
export class PreconditionRequiredError extends DomainError {
  readonly kind = 'precondition-required'
}

/** The same idempotency key was sent again with a different request. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly kind = 'idempotency-key-reused'
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly kind = 'unsupported-media-type'
}

/**
 * What the caller refers to existed once and no longer does, and never will again: an expired
 * confirmation link, a sync token older than the change history kept.
 */
export class GoneError extends DomainError {
  readonly kind = 'gone'
}

/**
 * The caller used up an allowance that renews at a known time (e.g. a daily quota of jobs). The
 * HTTP edge answers 429 with `Retry-After: retryAfterSeconds`.
 */
export class QuotaExceededError extends DomainError {
  readonly kind = 'quota-exceeded'
  constructor(
    message: string,
    /** Whole seconds until the allowance renews (at least 1). */
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError
