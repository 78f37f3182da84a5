import { ConfigError, readConfig } from '@app/runtime/config'
import { describe, expect, it } from 'vitest'
import { cdnEnv } from './config'

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
