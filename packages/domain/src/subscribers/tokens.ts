import { createHmac, timingSafeEqual } from 'node:crypto'
import { GoneError, ValidationError } from '../errors'

/**
 * The tokens in the links of our emails: a confirmation link (expires with the pending
 * subscription) and an unsubscribe link (never expires, RFC 8058 one-click). Each names the
 * subscription by its random `subscriberId` (never the address: links end up in logs and
 * referrers) and is signed with HMAC-SHA256 under the stage's subscription key, so a forged or
 * edited token is refused before any lookup, and nothing about a token is stored.
 * Hand-written for the same reason as the cursors (packages/runtime/src/http/cursor.ts): a few
 * lines over node:crypto, where a JWT library would bring options we would have to lock down.
 *
 * Formats: `c.<subscriberId>.<round>.<expiresAt epoch s>.<sig>`, `u.<subscriberId>.<sig>`.
 */
export interface SubscriptionTokens {
  confirmation(subscription: { subscriberId: string; round: number; expiresAt: number }): string
  /** The subscription a confirmation token names; 400 if forged, 410 once expired. */
  verifyConfirmation(token: string, now: Date, pointer?: string): { subscriberId: string; round: number }
  unsubscribe(subscriberId: string): string
  /** The subscription an unsubscribe token names; 400 if forged. */
  verifyUnsubscribe(token: string, pointer?: string): string
}

const ID = /^[A-Za-z0-9_-]{22,64}$/

export const createSubscriptionTokens = (secret: string): SubscriptionTokens => {
  if (secret.length < 32) throw new Error('The subscription token key must be at least 32 characters')
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest()
  const signed = (payload: string) => `${payload}.${sign(payload).toString('base64url')}`
  const invalid = (pointer: string) =>
    new ValidationError('Invalid token: use the whole link from the email', [
      { pointer, detail: 'not a link we sent' },
    ])
  /** The payload's parts if `token` carries a valid signature of it, else a 400. */
  const open = (token: string, kind: string, parts: number, pointer: string): string[] => {
    const fields = token.split('.')
    const signature = fields.pop()
    if (!signature || fields.length !== parts || fields[0] !== kind) throw invalid(pointer)
    const expected = sign(fields.join('.'))
    const given = Buffer.from(signature, 'base64url')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid(pointer)
    if (!ID.test(fields[1] ?? '')) throw invalid(pointer)
    return fields
  }
  return {
    confirmation: ({ subscriberId, round, expiresAt }) => signed(`c.${subscriberId}.${round}.${expiresAt}`),
    verifyConfirmation(token, now, pointer = '/body/token') {
      const [, subscriberId, round, expiresAt] = open(token, 'c', 4, pointer)
      if (Number(expiresAt) * 1000 <= now.getTime())
        throw new GoneError('This confirmation link has expired: subscribe again to get a new one')
      return { subscriberId: subscriberId as string, round: Number(round) }
    },
    unsubscribe: (subscriberId) => signed(`u.${subscriberId}`),
    verifyUnsubscribe(token, pointer = '/body/token') {
      return open(token, 'u', 2, pointer)[1] as string
    },
  }
}
