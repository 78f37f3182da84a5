import { createHmac, timingSafeEqual } from 'node:crypto'
import { ValidationError } from '@app/domain'

/**
 * Opaque, tamper-proof pagination cursors: the DynamoDB LastEvaluatedKey plus a binding (e.g. the
 * caller's id and filter), serialised and signed with HMAC-SHA256. A cursor forged, edited, or
 * replayed by another user or with another filter fails verification and yields a 400.
 * Hand-written because it is twenty lines over node:crypto; a JWT library would add size and options
 * we would have to lock down.
 */
export interface CursorCodec {
  encode(key: Record<string, unknown>, binding: string): string
  decode(cursor: string, binding: string): Record<string, unknown>
}

export const createCursorCodec = (secret: string): CursorCodec => {
  const sign = (payload: string, binding: string) =>
    createHmac('sha256', secret).update(`${binding}\n${payload}`).digest()
  const invalid = () =>
    new ValidationError('Invalid cursor: pass back the `nextCursor` of the previous page unchanged', [
      { pointer: '/query/cursor', detail: 'not a cursor issued for this listing' },
    ])
  return {
    encode(key, binding) {
      const payload = Buffer.from(JSON.stringify(key)).toString('base64url')
      return `${payload}.${sign(payload, binding).toString('base64url')}`
    },
    decode(cursor, binding) {
      const [payload, signature, ...rest] = cursor.split('.')
      if (!payload || !signature || rest.length) throw invalid()
      const expected = sign(payload, binding)
      const given = Buffer.from(signature, 'base64url')
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid()
      try {
        const key: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
        if (key && typeof key === 'object' && !Array.isArray(key)) return key as Record<string, unknown>
      } catch {}
      throw invalid()
    },
  }
}
