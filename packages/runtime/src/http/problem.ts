import {
  type DomainError,
  type DomainErrorKind,
  type FieldIssue,
  isDomainError,
  QuotaExceededError,
} from '@app/domain'
import { type HttpError, type HttpErrorKind, isHttpError } from './errors'

/** RFC 9457 problem details: the one error body of every API in this repo. */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  errors?: readonly FieldIssue[]
  /** Extension members (RFC 9457 §3.2), e.g. `current` on a 412. */
  [extension: string]: unknown
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

const byKind: Record<DomainErrorKind | HttpErrorKind, { status: number; title: string }> = {
  validation: { status: 400, title: 'Bad Request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Gone' },
  'precondition-failed': { status: 412, title: 'Precondition Failed' },
  'payload-too-large': { status: 413, title: 'Content Too Large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'idempotency-key-reused': { status: 422, title: 'Unprocessable Content' },
  'precondition-required': { status: 428, title: 'Precondition Required' },
  'quota-exceeded': { status: 429, title: 'Too Many Requests' },
}

/** Problem type URIs are relative references resolved against the API's base (RFC 9457 §3.1.1). */
const typeUri = (kind: string) => `/problems/${kind}`

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors'])
const withoutStandardMembers = (extensions: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(Object.entries(extensions).filter(([name]) => !STANDARD_MEMBERS.has(name)))

/** Maps a domain or HTTP error to its problem document: the single place a status code is chosen. */
export const problemFromDomainError = (error: DomainError | HttpError, instance?: string): Problem => {
  const { status, title } = byKind[error.kind]
  return {
    type: typeUri(error.kind),
    title,
    status,
    detail: error.message,
    ...(instance ? { instance } : {}),
    ...('issues' in error && Array.isArray(error.issues) && error.issues.length
      ? { errors: error.issues }
      : {}),
    // Extensions come after the standard members so none of them can overwrite `status` or `type`.
    ...('extensions' in error && error.extensions ? withoutStandardMembers(error.extensions) : {}),
  }
}

/** Response headers a problem needs beside its body: when to retry a 429 (RFC 9110 §10.2.3). */
export const problemHeaders = (error: unknown): Record<string, string> =>
  error instanceof QuotaExceededError ? { 'retry-after': String(error.retryAfterSeconds) } : {}

/** Anything that is not a domain error is ours to fix: the body says nothing about it. */
export const internalProblem = (instance?: string): Problem => ({
  type: typeUri('internal'),
  title: 'Internal Server Error',
  status: 500,
  detail: 'The server could not complete the request. It has been logged.',
  ...(instance ? { instance } : {}),
})

export const problemFor = (error: unknown, instance?: string): Problem =>
  isDomainError(error) || isHttpError(error)
    ? problemFromDomainError(error, instance)
    : internalProblem(instance)
