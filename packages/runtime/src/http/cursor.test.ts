import { ValidationError } from '@app/domain'
import { describe, expect, it } from 'vitest'
import { createCursorCodec } from './cursor'

describe('createCursorCodec', () => {
  const codec = createCursorCodec('secret-secret-secret-secret-0123')
  const key = { PK: 'USER#a', SK: 'TODO#01ABC' }

  it('round-trips a key for the same binding', () => {
    expect(codec.decode(codec.encode(key, 'alice'), 'alice')).toEqual(key)
  })

  it('rejects another binding, another secret, an edited payload and garbage', () => {
    const cursor = codec.encode(key, 'alice')
    const [payload, signature] = cursor.split('.')
    const edited = `${Buffer.from(JSON.stringify({ ...key, PK: 'USER#b' })).toString('base64url')}.${signature}`
    for (const [candidate, binding] of [
      [cursor, 'bob'],
      [createCursorCodec('another-secret-another-secret-01').encode(key, 'alice'), 'alice'],
      [edited, 'alice'],
      [`${payload}.`, 'alice'],
      [`${payload}.${signature}.x`, 'alice'],
      ['', 'alice'],
      ['not-a-cursor', 'alice'],
    ] as const)
      expect(() => codec.decode(candidate, binding), candidate).toThrow(ValidationError)
  })
})
