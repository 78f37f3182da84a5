import { createSubscriptionTokens } from '@app/domain/subscribers'
import { describe, expect, it } from 'vitest'
import { aSubscriber, call, fakeSubscribers, viaCdn } from '../../testing/fakes'
import { unsubscribeRoute } from './route'

const tokens = createSubscriptionTokens('test-only-subscription-token-key-0123456789')
const id = 'id-0000000000000000001'
const token = tokens.unsubscribe(id)
const setup = () => {
  const subscribers = fakeSubscribers()
  subscribers.items.set('ann@example.com', aSubscriber({ subscriberId: id }))
  return {
    subscribers,
    handler: unsubscribeRoute({ ...viaCdn, subscribers: subscribers.repository, tokens }),
  }
}
const post = (body: unknown) => ({ method: 'POST', path: '/api/subscribers/unsubscribe', body })
/** What a mail client sends for RFC 8058 one-click: a form body, the token in the URL. */
const oneClick = (query: Record<string, string>, rawBody = 'List-Unsubscribe=One-Click') => ({
  method: 'POST',
  path: '/api/subscribers/unsubscribe',
  query,
  rawBody,
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
})

describe('POST /api/subscribers/unsubscribe', () => {
  it('removes the subscriber the signed token names, and answers a repeat the same way', async () => {
    const { subscribers, handler } = setup()
    const first = await call(handler, post({ token }))
    expect(first).toMatchObject({ status: 200, body: { status: 'unsubscribed' } })
    expect(subscribers.items.size).toBe(0)
    expect(await call(handler, post({ token }))).toEqual(first)
  })

  it('unsubscribes in one click (RFC 8058: form body, token in the query)', async () => {
    const { subscribers, handler } = setup()
    expect(await call(handler, oneClick({ token }))).toMatchObject({ status: 200 })
    expect(subscribers.items.size).toBe(0)
  })

  it('answers an unknown subscription like a known one and removes nobody', async () => {
    const { subscribers, handler } = setup()
    expect((await call(handler, post({ token: tokens.unsubscribe('id-0000000000000000002') }))).status).toBe(
      200,
    )
    expect(subscribers.items.size).toBe(1)
  })

  it.each([
    ['no token', post({})],
    ['a malformed token', post({ token: 'short' })],
    ['a forged token', post({ token: createSubscriptionTokens('x'.repeat(40)).unsubscribe(id) })],
    ['an extra field', post({ token, email: 'x' })],
    ['a one-click without its token', oneClick({})],
    ['a one-click with a forged token', oneClick({ token: `${token.slice(0, -3)}AAA` })],
    ['another form body', oneClick({ token }, 'List-Unsubscribe=Yes')],
  ])('answers 400 for %s and removes nobody', async (_, request) => {
    const { subscribers, handler } = setup()
    const answer = await call(handler, request)
    expect(answer.status).toBe(400)
    expect(answer.headers['content-type']).toBe('application/problem+json')
    expect(subscribers.items.size).toBe(1)
  })
})
