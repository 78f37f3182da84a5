import { describe, expect, it } from 'vitest'
import { TEXT_INLINE_LIMIT_BYTES, textJobInput } from './job'

describe('textJobInput', () => {
  const base = { jobId: 'job-1', owner: 'user-1' }

  it('accepts an inline text and defaults topN', () => {
    const parsed = textJobInput.parse({ ...base, source: { kind: 'inline', text: '안녕' } })
    expect(parsed.topN).toBe(10)
  })

  it('measures the inline limit in UTF-8 bytes, not characters', () => {
    const korean = '한'.repeat(Math.floor(TEXT_INLINE_LIMIT_BYTES / 3) + 1)
    expect(korean.length).toBeLessThan(TEXT_INLINE_LIMIT_BYTES)
    expect(textJobInput.safeParse({ ...base, source: { kind: 'inline', text: korean } }).success).toBe(false)
  })

  it('accepts S3 references and refuses unknown fields and bad ids', () => {
    expect(
      textJobInput.safeParse({ ...base, source: { kind: 's3', bucket: 'b-1', key: 'a.txt' } }).success,
    ).toBe(true)
    expect(textJobInput.safeParse({ ...base, extra: 1, source: { kind: 'inline', text: '' } }).success).toBe(
      false,
    )
    expect(
      textJobInput.safeParse({ ...base, jobId: 'a/b', source: { kind: 'inline', text: '' } }).success,
    ).toBe(false)
    expect(textJobInput.safeParse({ ...base, source: { kind: 'ftp', url: 'x' } }).success).toBe(false)
  })
})
