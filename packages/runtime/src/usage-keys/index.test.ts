import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type UsageKeyMarkers, type UsageKeyRequests, usageKeyChooser, usageKeyValue } from '.'

describe('usageKeyValue', () => {
  it('is a value API Gateway takes (20-128 letters and digits) for any sub and stage', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (stage, sub) => {
        expect(usageKeyValue(stage, sub)).toMatch(/^[A-Za-z0-9]{20,128}$/)
      }),
    )
  })

  it('is the same for a user in every service of a stage, and differs per user and per stage', () => {
    const sub = '7f3c2a9e-0000-4000-8000-000000000001'
    expect(usageKeyValue('dev', sub)).toBe(usageKeyValue('dev', sub))
    expect(usageKeyValue('dev', sub)).not.toBe(usageKeyValue('prod', sub))
    expect(usageKeyValue('dev', sub)).not.toBe(usageKeyValue('dev', `${sub.slice(0, -1)}2`))
    // Stage and sub cannot run into each other: ('a', 'bc') is not ('ab', 'c').
    expect(usageKeyValue('a', 'bc')).not.toBe(usageKeyValue('ab', 'c'))
  })
})

describe('usageKeyChooser', () => {
  const NEWCOMER = 'todoapitestnewcomerusagekey'
  const setUp = (options: { marked?: string[]; markersFail?: boolean; requestsFail?: boolean } = {}) => {
    const requested: string[] = []
    const markers: UsageKeyMarkers = {
      has: async (sub) => {
        if (options.markersFail) throw new Error('ProvisionedThroughputExceededException')
        return (options.marked ?? []).includes(sub)
      },
      put: async () => undefined,
    }
    const requests: UsageKeyRequests = {
      request: async (sub) => {
        if (options.requestsFail) throw new Error('queue unavailable')
        requested.push(sub)
      },
    }
    return { requested, choose: usageKeyChooser({ stage: 'test', newcomerKey: NEWCOMER, markers, requests }) }
  }

  it("names a provisioned user's own key and asks for nothing", async () => {
    const { choose, requested } = setUp({ marked: ['user-1'] })
    expect(await choose('user-1')).toBe(usageKeyValue('test', 'user-1'))
    expect(requested).toEqual([])
  })

  it('puts a user without a marker on the newcomer key and asks for their own', async () => {
    const { choose, requested } = setUp({ marked: ['user-1'] })
    expect(await choose('user-2')).toBe(NEWCOMER)
    expect(requested).toEqual(['user-2'])
  })

  it('never refuses: an unreadable marker or a failed request still gives the newcomer key', async () => {
    expect(await setUp({ markersFail: true }).choose('user-1')).toBe(NEWCOMER)
    expect(await setUp({ requestsFail: true }).choose('user-1')).toBe(NEWCOMER)
  })
})
