import { createSubscriptionTokens } from '@app/domain/subscribers'
import { describe, expect, it } from 'vitest'
import { aSubscriber, call, fakeSubscribers, fixedClock, viaCdn } from '../../testing/fakes'
import { confirmSubscriptionRoute } from './route'

const tokens = createSubscriptionTokens('test-only-subscription-token-key-0123456789')
const id = 'id-0000000000000000001'
const expiresAt = Date.parse('2026-11-29T10:00:00.000Z') / 1000
const setup = () => {
  const subscribers = fakeSubscribers()
  subscribers.items.set('ann@example.com', aSubscriber({ subscriberId: id, status: 'pending', expiresAt }))
  const clock = fixedClock('2026-11-23T10:00:00.000Z')
  return {
    subscribers,
    clock,
    handler: confirmSubscriptionRoute({ ...viaCdn, subscribers: subscribers.repository, clock, tokens }),
  }
}
const post = (body: unknown) => ({ method: 'POST', path: '/api/subscribers/confirm', body })
const token = tokens.confirmation({ subscriberId: id, round: 1, expiresAt })

describe('POST /api/subscribers/confirm', () => {
  it('confirms the pending subscription the signed token names; it no longer expires', async () => {
    const { subscribers, handler } = setup()
    expect(await call(handler, post({ token }))).toMatchObject({ status: 200, body: { status: 'confirmed' } })
    const item = subscribers.items.get('ann@example.com')
    expect(item).toMatchObject({ status: 'confirmed', confirmedAt: '2026-11-23T10:00:00.000Z' })
    expect(item).not.toHaveProperty('expiresAt')
  })

  it('answers a second confirmation 409', async () => {
    const { handler } = setup()
    await call(handler, post({ token }))
    const again = await call(handler, post({ token }))
    expect(again).toMatchObject({ status: 409, body: { type: '/problems/conflict' } })
  })

  it('answers an expired link 410 and confirms nothing', async () => {
    const { subscribers, clock, handler } = setup()
    clock.set('2026-11-29T10:00:00.000Z')
    expect(await call(handler, post({ token }))).toMatchObject({
      status: 410,
      body: { type: '/problems/gone' },
    })
    expect(subscribers.items.get('ann@example.com')?.status).toBe('pending')
  })

  it('answers a link whose subscription is gone 404', async () => {
    const { subscribers, handler } = setup()
    subscribers.items.clear()
    expect((await call(handler, post({ token }))).status).toBe(404)
  })

  it.each([
    [
      'signed with another key',
      createSubscriptionTokens('y'.repeat(40)).confirmation({ subscriberId: id, round: 1, expiresAt }),
    ],
    ['with its expiry edited', token.replace(String(expiresAt), String(expiresAt + 86_400 * 365))],
    ['an unsubscribe token', tokens.unsubscribe(id)],
    ['not a token', 'hello'],
  ])('answers a token %s 400 and confirms nothing', async (_, forged) => {
    const { subscribers, handler } = setup()
    const answer = await call(handler, post({ token: forged }))
    expect(answer.status).toBe(400)
    expect(answer.headers['content-type']).toBe('application/problem+json')
    expect(subscribers.items.get('ann@example.com')?.status).toBe('pending')
  })
})
