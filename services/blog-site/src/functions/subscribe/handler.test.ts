import { captureLogs } from '@app/runtime/testing'
import { describe, expect, it } from 'vitest'
import { call, fakeSubscribers, fixedClock, viaCdn } from '../../testing/fakes'
import { subscribeRoute } from './route'

const policy = { pendingTtlSeconds: 7 * 86_400, cooldownSeconds: 3600 }
const setup = () => {
  const subscribers = fakeSubscribers()
  const clock = fixedClock()
  let ids = 0
  const handler = subscribeRoute({
    ...viaCdn,
    subscribers: subscribers.repository,
    clock,
    newId: () => `id-${String(++ids).padStart(19, '0')}`,
    policy,
  })
  return { subscribers, clock, handler }
}
const post = (body: unknown) => ({ method: 'POST', path: '/api/subscribers', body })

describe('POST /api/subscribers', () => {
  it('stores the normalised address as pending, with its TTL written, and answers 202', async () => {
    const { subscribers, handler } = setup()
    const answer = await call(handler, post({ email: '  Ann@Example.COM ', source: 'footer' }))
    expect(answer.status).toBe(202)
    expect(answer.body).toEqual({ email: 'ann@example.com', status: 'pending' })
    expect(subscribers.items.get('ann@example.com')).toEqual({
      email: 'ann@example.com',
      subscriberId: 'id-0000000000000000001',
      status: 'pending',
      subscribedAt: '2026-11-22T10:00:00.000Z',
      confirmationRound: 1,
      lastConfirmationAt: '2026-11-22T10:00:00.000Z',
      expiresAt: Date.parse('2026-11-29T10:00:00.000Z') / 1000,
      source: 'footer',
    })
  })

  it('answers a repeat exactly like the first time, and asks for no second confirmation within the cool-down', async () => {
    const { subscribers, clock, handler } = setup()
    const first = await call(handler, post({ email: 'ann@example.com' }))
    clock.set('2026-11-22T10:59:59.000Z')
    const again = await call(handler, post({ email: 'ANN@example.com' }))
    expect(again).toEqual(first)
    expect(subscribers.items.size).toBe(1)
    expect(subscribers.items.get('ann@example.com')).toMatchObject({
      subscriberId: 'id-0000000000000000001',
      confirmationRound: 1,
    })
  })

  it('starts a new confirmation round (one more email) after the cool-down, and extends the TTL', async () => {
    const { subscribers, clock, handler } = setup()
    await call(handler, post({ email: 'ann@example.com' }))
    clock.set('2026-11-22T11:00:00.000Z')
    expect((await call(handler, post({ email: 'ann@example.com' }))).status).toBe(202)
    expect(subscribers.items.get('ann@example.com')).toMatchObject({
      subscriberId: 'id-0000000000000000001',
      confirmationRound: 2,
      lastConfirmationAt: '2026-11-22T11:00:00.000Z',
      expiresAt: Date.parse('2026-11-29T11:00:00.000Z') / 1000,
    })
  })

  it('changes nothing for a confirmed address, and says the same', async () => {
    const { subscribers, clock, handler } = setup()
    const first = await call(handler, post({ email: 'ann@example.com' }))
    await subscribers.repository.confirm('id-0000000000000000001', clock.now())
    clock.set('2026-12-22T10:00:00.000Z')
    const before = structuredClone(subscribers.items.get('ann@example.com'))
    expect(await call(handler, post({ email: 'ann@example.com' }))).toEqual(first)
    expect(subscribers.items.get('ann@example.com')).toEqual(before)
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

  it('logs no address: accepted, repeated, refused, or failing in storage', async () => {
    const { subscribers, handler } = setup()
    const broken = subscribeRoute({
      ...viaCdn,
      subscribers: {
        ...subscribers.repository,
        addIfAbsent: async (subscriber) => {
          throw new Error(`storage failed for ${subscriber.email}`)
        },
      },
      clock: fixedClock(),
      newId: () => 'id-0000000000000000009',
      policy,
    })
    const output = await captureLogs(async () => {
      expect((await call(handler, post({ email: 'Logged.Reader@Example.com' }))).status).toBe(202)
      expect((await call(handler, post({ email: 'logged.reader@example.com' }))).status).toBe(202)
      expect((await call(handler, post({ email: 'logged.reader@example', admin: 1 }))).status).toBe(400)
      expect((await call(broken, post({ email: 'stored.reader@example.com' }))).status).toBe(500)
    })
    expect(output).toContain('Unhandled error')
    for (const address of ['logged.reader@example', 'stored.reader@example.com'])
      expect(output.toLowerCase()).not.toContain(address)
  })
})
