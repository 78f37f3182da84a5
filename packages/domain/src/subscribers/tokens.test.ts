import { describe, expect, it } from 'vitest'
import { GoneError, ValidationError } from '../errors'
import { createSubscriptionTokens } from './tokens'

const tokens = createSubscriptionTokens('test-only-subscription-token-key-0123456789')
const other = createSubscriptionTokens('another-stage-subscription-token-key-98765')
const id = 'sub_AAAAAAAAAAAAAAAAAAAA'
const now = new Date('2026-11-22T10:00:00Z')
const inAnHour = Math.floor(now.getTime() / 1000) + 3600

describe('subscription tokens', () => {
  it('confirmation: names the subscription and round until it expires, then is gone (410)', () => {
    const token = tokens.confirmation({ subscriberId: id, round: 2, expiresAt: inAnHour })
    expect(tokens.verifyConfirmation(token, now)).toEqual({ subscriberId: id, round: 2 })
    expect(() => tokens.verifyConfirmation(token, new Date(inAnHour * 1000))).toThrow(GoneError)
  })

  it('unsubscribe: names the subscription, with no expiry', () => {
    expect(tokens.verifyUnsubscribe(tokens.unsubscribe(id))).toBe(id)
  })

  it.each([
    ['signed with another key', other.unsubscribe(id)],
    ['with another id', tokens.unsubscribe(id).replace('sub_', 'sub-')],
    ['a confirmation token', tokens.confirmation({ subscriberId: id, round: 1, expiresAt: inAnHour })],
    ['truncated', tokens.unsubscribe(id).slice(0, -2)],
    ['empty', ''],
  ])('refuses an unsubscribe token %s (400)', (_, token) => {
    expect(() => tokens.verifyUnsubscribe(token)).toThrow(ValidationError)
  })

  it('refuses an edited expiry or round (400), and an unsubscribe token as a confirmation', () => {
    const token = tokens.confirmation({ subscriberId: id, round: 1, expiresAt: inAnHour })
    const [kind, sid, , expires, sig] = token.split('.')
    expect(() => tokens.verifyConfirmation([kind, sid, '2', expires, sig].join('.'), now)).toThrow(
      ValidationError,
    )
    expect(() =>
      tokens.verifyConfirmation([kind, sid, '1', String(inAnHour + 9e6), sig].join('.'), now),
    ).toThrow(ValidationError)
    expect(() => tokens.verifyConfirmation(tokens.unsubscribe(id), now)).toThrow(ValidationError)
  })
})
