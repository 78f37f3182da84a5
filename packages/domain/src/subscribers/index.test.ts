import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  emailAddressSchema,
  newSubscriber,
  normaliseEmail,
  subscribeRequestSchema,
  subscriberSchema,
} from './index'

const ports = { now: () => new Date('2026-11-22T10:00:00.000Z'), randomToken: () => 'AAAAAAAAAAAAAAAAAAAAAA' }

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
  it('builds a valid item from a request', () => {
    const subscriber = newSubscriber({ email: 'a@b.example' }, ports)
    expect(subscriber).toEqual({
      email: 'a@b.example',
      subscribedAt: '2026-11-22T10:00:00.000Z',
      unsubscribeToken: 'AAAAAAAAAAAAAAAAAAAAAA',
    })
    expect(subscriberSchema.parse(subscriber)).toEqual(subscriber)
  })

  it('refuses a token that is not url-safe', () => {
    expect(() =>
      newSubscriber({ email: 'a@b.example' }, { ...ports, randomToken: () => 'not/url+safe==' }),
    ).toThrow()
  })
})

describe('subscriberSchema', () => {
  it('rejects an item whose key is not normalised', () => {
    const item = {
      email: 'A@b.example',
      subscribedAt: '2026-11-22T10:00:00.000Z',
      unsubscribeToken: 'A'.repeat(22),
    }
    expect(subscriberSchema.safeParse(item).success).toBe(false)
  })
})
