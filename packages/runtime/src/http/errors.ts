/**
 * Errors only the HTTP edge raises: no use case knows about bearer tokens or request body sizes,
 * so these live beside `httpRoute` rather than in the domain. `problem.ts` maps them with the
 * domain's errors, in the same one place.
 */
export type HttpErrorKind = 'unauthorized' | 'payload-too-large'

export abstract class HttpError extends Error {
  abstract readonly kind: HttpErrorKind
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** No credentials, or credentials that fail verification. */
export class UnauthorizedError extends HttpError {
  readonly kind = 'unauthorized'
}

/** The request body is larger than the route accepts. */
export class PayloadTooLargeError extends HttpError {
  readonly kind = 'payload-too-large'
}

export const isHttpError = (error: unknown): error is HttpError => error instanceof HttpError
