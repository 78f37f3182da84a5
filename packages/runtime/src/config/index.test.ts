import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import { awsEnvSchema, ConfigError, readConfig } from './index'

describe('readConfig', () => {
  const schema = awsEnvSchema.extend({ TABLE: z.string().min(1), LIMIT: z.coerce.number().int() })

  it('parses, coerces and applies defaults', () => {
    expect(readConfig(schema, { TABLE: 't', LIMIT: '5' })).toMatchObject({
      TABLE: 't',
      LIMIT: 5,
      AWS_REGION: 'us-east-1',
      AWS_MAX_ATTEMPTS: 4,
    })
  })

  it('fails naming every offending variable', () => {
    const error = (() => {
      try {
        readConfig(schema, { LIMIT: 'many', AWS_ENDPOINT_URL_DYNAMODB: 'not a url' })
      } catch (caught) {
        return caught
      }
    })() as ConfigError
    expect(error).toBeInstanceOf(ConfigError)
    expect([...error.variables].sort()).toEqual(['AWS_ENDPOINT_URL_DYNAMODB', 'LIMIT', 'TABLE'])
    expect(error.message).toContain('TABLE')
  })
})
