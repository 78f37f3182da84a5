import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  emailAddressSchema,
  newSubscriber,
  normaliseEmail,
  subscribeRequestSchema,
  subscriberSchema,
} from './index'

const ports = { now: () => new Date('2026-11-22T10:00:00.000Z'), newId: () => 'AAAAAAAAAAAAAAAAAAAAAA' }

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Ann.Lee@Example.COM\n')).toBe('ann.lee@example.com')
  })

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (raw) => normaliseEmail(normaliseEmail(raw)) === normaliseEmail(raw)))
  })

  it('maps every spelling of one address to one key', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.nat(3), fc.nat(3), (email, left, right) => {
        const variant = `${' '.repeat(left)}${email.toUpperCase()}${'\t'.repeat(right)}`
        expect(normaliseEmail(variant)).toBe(normaliseEmail(email))
      }),
    )
  })
})

describe('emailAddressSchema', () => {
  it('accepts and normalises a typed address', () => {
    expect(emailAddressSchema.parse(' Reader@Blog.Example ')).toBe('reader@blog.example')
  })

  it.each(['', 'no-at-sign', 'a@', '@b.example', 'a b@c.example', 'a@b', `${'x'.repeat(250)}@e.example`])(
    'rejects %j',
    (bad) => {
      expect(emailAddressSchema.safeParse(bad).success).toBe(false)
    },
  )

  it('rejects non-strings', () => {
    for (const bad of [null, 1, {}, [], true]) expect(emailAddressSchema.safeParse(bad).success).toBe(false)
  })
})

describe('subscribeRequestSchema', () => {
  it('rejects unknown fields', () => {
    expect(subscribeRequestSchema.safeParse({ email: 'a@b.example', admin: true }).success).toBe(false)
  })

  it('accepts an optional source', () => {
    expect(subscribeRequestSchema.parse({ email: 'A@B.example', source: 'footer' })).toEqual({
      email: 'a@b.example',
      source: 'footer',
    })
  })
})

describe('newSubscriber', () => {
  it('builds a pending item that expires after the TTL unless confirmed', () => {
    const subscriber = newSubscriber({ email: 'a@b.example' }, ports, 3600)
    expect(subscriber).toEqual({
      email: 'a@b.example',
      subscriberId: 'AAAAAAAAAAAAAAAAAAAAAA',
      status: 'pending',
      subscribedAt: '2026-11-22T10:00:00.000Z',
      confirmationRound: 1,
      lastConfirmationAt: '2026-11-22T10:00:00.000Z',
      expiresAt: Date.parse('2026-11-22T11:00:00.000Z') / 1000,
    })
    expect(subscriberSchema.parse(subscriber)).toEqual(subscriber)
  })

  it('refuses an id that is not url-safe', () => {
    expect(() =>
      newSubscriber({ email: 'a@b.example' }, { ...ports, newId: () => 'not/url+safe==' }, 60),
    ).toThrow()
  })
})

describe('subscriberSchema', () => {
  it('rejects an item whose key is not normalised', () => {
    const item = { ...newSubscriber({ email: 'a@b.example' }, ports, 60), email: 'A@b.example' }
    expect(subscriberSchema.safeParse(item).success).toBe(false)
  })
})
