import { ConfigError, readConfig } from '@app/runtime/config'
import { describe, expect, it } from 'vitest'
import { cdnEnv, originEnv } from './config'

describe('DISTRIBUTION_ID', () => {
  it('reads `none` (the local stage) as no distribution, and a distribution id as itself', () => {
    expect(readConfig(cdnEnv, { DISTRIBUTION_ID: 'none' }).DISTRIBUTION_ID).toBeUndefined()
    expect(readConfig(cdnEnv, { DISTRIBUTION_ID: 'E2EXAMPLE123' }).DISTRIBUTION_ID).toBe('E2EXAMPLE123')
  })

  it('fails the cold start, naming the variable, when it is missing or not an id', () => {
    expect(() => readConfig(cdnEnv, {})).toThrow(ConfigError)
    // What an unresolved `{ Ref: ... }` becomes as an environment variable.
    expect(() => readConfig(cdnEnv, { DISTRIBUTION_ID: '[object Object]' })).toThrow(/DISTRIBUTION_ID/)
  })
})

describe('ORIGIN_VERIFY_SECRET', () => {
  const current = 'c'.repeat(64)
  const next = 'n'.repeat(64)
  const read = (value: string) => readConfig(originEnv, { ORIGIN_VERIFY_SECRET: value }).ORIGIN_VERIFY_SECRET

  it('accepts the current value and, while rotating, the next or previous one', () => {
    expect(read(JSON.stringify({ current }))).toEqual({ header: 'x-origin-verify', values: [current] })
    expect(read(JSON.stringify({ current, next })).values).toEqual([current, next])
    expect(read(JSON.stringify({ current: next, previous: current })).values).toEqual([next, current])
  })

  it.each([
    ['a plain string', current],
    ['no current value', JSON.stringify({ next })],
    ['a short value', JSON.stringify({ current: 'short' })],
    ['an unknown key', JSON.stringify({ current, older: next })],
    ['what an unresolved reference becomes', '[object Object]'],
  ])('fails the cold start, naming the variable, for %s', (_, value) => {
    expect(() => read(value)).toThrow(/ORIGIN_VERIFY_SECRET/)
  })
})
