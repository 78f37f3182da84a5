import { describe, expect, it } from 'vitest'
import { resolveSecretReferences } from './secrets'

describe('resolveSecretReferences', () => {
  const secrets: Record<string, string> = {
    'svc/local/plain': 'p'.repeat(40),
    'svc/local/json': '{"current":"c1","next":"n1"}',
  }
  const resolve = (text: string) => resolveSecretReferences(text, (name) => secrets[name])

  it('resolves the whole SecretString, a JSON key, and pinned versions alike', () => {
    expect(resolve('{{resolve:secretsmanager:svc/local/plain:SecretString}}')).toBe('p'.repeat(40))
    expect(resolve('{{resolve:secretsmanager:svc/local/json:SecretString}}')).toBe(secrets['svc/local/json'])
    expect(resolve('{{resolve:secretsmanager:svc/local/json:SecretString:current}}')).toBe('c1')
    expect(resolve('{{resolve:secretsmanager:svc/local/json:SecretString:next::v-123}}')).toBe('n1')
    expect(resolve('x-{{resolve:secretsmanager:svc/local/json:SecretString:current}}-y')).toBe('x-c1-y')
  })

  it('fails on a secret or key it has no value for, never passing the reference on', () => {
    expect(() => resolve('{{resolve:secretsmanager:svc/local/other:SecretString}}')).toThrow(
      /svc\/local\/other/,
    )
    expect(() => resolve('{{resolve:secretsmanager:svc/local/json:SecretString:previous}}')).toThrow(
      /previous/,
    )
  })
})
