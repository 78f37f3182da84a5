import { describe, expect, it } from 'vitest'
import { call, fakeSubscribers, fixedClock } from '../../testing/fakes'
import { subscribeRoute } from './route'

const setup = () => {
  const subscribers = fakeSubscribers()
  let tokens = 0
  const handler = subscribeRoute({
    subscribers: subscribers.repository,
    clock: fixedClock(),
    randomToken: () => `token-${String(++tokens).padStart(22, '0')}`,
  })
  return { subscribers, handler }
}
const post = (body: unknown) => ({ method: 'POST', path: '/api/subscribers', body })

describe('POST /api/subscribers', () => {
  it('stores the normalised address and answers 202', async () => {
    const { subscribers, handler } = setup()
    const answer = await call(handler, post({ email: '  Ann@Example.COM ', source: 'footer' }))
    expect(answer.status).toBe(202)
    expect(answer.body).toEqual({ email: 'ann@example.com', status: 'subscribed' })
    expect(subscribers.items.get('ann@example.com')).toEqual({
      email: 'ann@example.com',
      subscribedAt: '2026-11-22T10:00:00.000Z',
      unsubscribeToken: 'token-0000000000000000000001',
      source: 'footer',
    })
  })

  it('answers a repeat exactly like the first time and writes nothing', async () => {
    const { subscribers, handler } = setup()
    const first = await call(handler, post({ email: 'ann@example.com' }))
    const again = await call(handler, post({ email: 'ANN@example.com' }))
    expect(again).toEqual(first)
    expect(subscribers.items.size).toBe(1)
    expect(subscribers.items.get('ann@example.com')?.unsubscribeToken).toBe('token-0000000000000000000001')
  })

  it.each([{}, { email: 'not-an-email' }, { email: 42 }, { email: 'a@b.example', admin: true }, []])(
    'answers 400 for %j and stores nothing',
    async (body) => {
      const { subscribers, handler } = setup()
      const answer = await call(handler, post(body))
      expect(answer.status).toBe(400)
      expect(answer.headers['content-type']).toBe('application/problem+json')
      expect(subscribers.items.size).toBe(0)
    },
  )

  it('answers 413 for an oversized body', async () => {
    const { handler } = setup()
    expect((await call(handler, post({ email: `${'a'.repeat(5000)}@b.example` }))).status).toBe(413)
  })
})
