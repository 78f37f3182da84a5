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
    const alphabet = fc.constantFrom('a', ' ', '\n', '\u3000', 'é', '한', '\t')
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 50 }),
        fc.array(fc.nat(50), { maxLength: 8 }),
        (chars, cuts) => {
          const text = chars.join('')
          const collapser = createWhitespaceCollapser()
          let out = ''
          let from = 0
          for (const cut of [...cuts].sort((a, b) => a - b).map((at) => Math.min(at, text.length))) {
            out += collapser.push(text.slice(from, cut))
            from = cut
          }
          out += collapser.push(text.slice(from)) + collapser.end()
          expect(out).toBe(removeWhitespace(text))
          expect(out).toBe(
            text
              .split(/\p{White_Space}+/u)
              .filter(Boolean)
              .join(' '),
          )
        },
      ),
      { numRuns: 1_000 },
    )
  })

  it('handles a multi-megabyte text in one call', () => {
    const text = 'word \n\t '.repeat(500_000)
    const out = removeWhitespace(text)
    expect(out.length).toBe('word '.length * 500_000 - 1)
  })
})
