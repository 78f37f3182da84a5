import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chunksOf, textWithCuts } from './test-texts'
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

  it('streams to its definition (split on White_Space, join with one space) for any text and chunking', () => {
    const definition = (text: string) =>
      text
        .split(/\p{White_Space}+/u)
        .filter(Boolean)
        .join(' ')
    fc.assert(
      fc.property(textWithCuts({ loneSurrogates: true }), ([text, cuts]) => {
        const collapser = createWhitespaceCollapser()
        const out =
          chunksOf(text, cuts)
            .map((chunk) => collapser.push(chunk))
            .join('') + collapser.end()
        expect(out).toBe(definition(text))
        expect(removeWhitespace(text)).toBe(definition(text))
      }),
      { numRuns: 3_000 },
    )
  })

  it('handles a multi-megabyte text in one call', () => {
    const text = 'word \n\t '.repeat(500_000)
    const out = removeWhitespace(text)
    expect(out.length).toBe('word '.length * 500_000 - 1)
  })
})
