import { describe, expect, it } from 'vitest'
import { call, fakeSubscribers } from '../../testing/fakes'
import { unsubscribeRoute } from './route'

const token = 'A'.repeat(32)
const setup = () => {
  const subscribers = fakeSubscribers()
  subscribers.items.set('ann@example.com', {
    email: 'ann@example.com',
    subscribedAt: '2026-11-22T10:00:00.000Z',
    unsubscribeToken: token,
  })
  return { subscribers, handler: unsubscribeRoute({ subscribers: subscribers.repository }) }
}
const post = (body: unknown) => ({ method: 'POST', path: '/api/subscribers/unsubscribe', body })

describe('POST /api/subscribers/unsubscribe', () => {
  it('removes the subscriber of the token, and answers a repeat the same way', async () => {
    const { subscribers, handler } = setup()
    const first = await call(handler, post({ token }))
    expect(first).toMatchObject({ status: 200, body: { status: 'unsubscribed' } })
    expect(subscribers.items.size).toBe(0)
    expect(await call(handler, post({ token }))).toEqual(first)
  })

  it('answers an unknown token like a known one and removes nobody', async () => {
    const { subscribers, handler } = setup()
    expect((await call(handler, post({ token: 'B'.repeat(32) }))).status).toBe(200)
    expect(subscribers.items.size).toBe(1)
  })

  it.each([{}, { token: 'short' }, { token: 'has spaces in it and is long enough' }, { token, email: 'x' }])(
    'answers 400 for %j',
    async (body) => {
      const { subscribers, handler } = setup()
      expect((await call(handler, post(body))).status).toBe(400)
      expect(subscribers.items.size).toBe(1)
    },
  )
})
