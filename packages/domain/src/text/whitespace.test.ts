import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createWhitespaceCollapser, removeWhitespace } from './whitespace'

describe('removeWhitespace', () => {
  it('collapses every kind of Unicode whitespace run into one space and trims', () => {
    expect(removeWhitespace(' \t a \n\n b\u00a0\u3000c\u2028d\u2029 e\r\n ')).toBe('a b c d e')
  })

  it('does not treat zero-width or format characters as whitespace', () => {
    expect(removeWhitespace('a\u200bb')).toBe('a\u200bb')
  })

  it('keeps Korean, accented and emoji words intact', () => {
    expect(removeWhitespace('  안녕하세요   세계  Ça  va 👍🏽  ')).toBe('안녕하세요 세계 Ça va 👍🏽')
  })

  it('maps empty and all-whitespace texts to the empty text', () => {
    expect(removeWhitespace('')).toBe('')
    expect(removeWhitespace(' \n\t\u3000 ')).toBe('')
  })

  it('streams to the whole-text result for any chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', ' ', '\n', '\u3000', 'é', '한'), { maxLength: 50 }),
        fc.nat(50),
        (chars, cut) => {
          const text = chars.join('')
          const collapser = createWhitespaceCollapser()
          const out = collapser.push(text.slice(0, cut)) + collapser.push(text.slice(cut)) + collapser.end()
          expect(out).toBe(removeWhitespace(text))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('handles a multi-megabyte text in one call', () => {
    const text = 'word \n\t '.repeat(500_000)
    const out = removeWhitespace(text)
    expect(out.length).toBe('word '.length * 500_000 - 1)
  })
})
