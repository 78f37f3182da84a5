import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createStripper, stripStrings } from './strip'

const streamed = (text: string, cuts: number[], maxCarry?: number) => {
  const stripper = createStripper(maxCarry)
  let out = ''
  let from = 0
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    out += stripper.push(text.slice(from, cut))
    from = cut
  }
  return out + stripper.push(text.slice(from)) + stripper.end()
}

describe('stripStrings', () => {
  it('turns punctuation into spaces and keeps symbols', () => {
    expect(stripStrings('Hello, world! (yes) — “quoted” ¿qué? $5 + 2')).toBe(
      'Hello  world   yes     quoted   qué  $5 + 2',
    )
  })

  it('keeps word-internal apostrophes and number separators', () => {
    expect(stripStrings("don't l’été 'quoted' 3.14 1,000 end. a,b")).toBe(
      "don't l’été  quoted  3.14 1,000 end  a b",
    )
  })

  it('removes control and format characters but keeps whitespace, ZWJ and ZWNJ', () => {
    expect(stripStrings('a\u0000b\u001bc\u007fd\u200be\ufefff\u00adg\u202eh')).toBe('abcdefgh')
    expect(stripStrings('tab\tnew\nline\r\n')).toBe('tab\tnew\nline\r\n')
    expect(stripStrings('👨\u200d👩\u200d👧 می\u200cخواهم')).toBe('👨\u200d👩\u200d👧 می\u200cخواهم')
  })

  it('removes lone surrogates', () => {
    expect(stripStrings('a\ud800b\udc00c')).toBe('abc')
  })

  it('normalises to NFC so decomposed accents become one character', () => {
    expect(stripStrings('cafe\u0301 Ame\u0301lie')).toBe('café Amélie')
    expect(stripStrings('\u1112\u1161\u11ab')).toBe('한')
  })

  it('leaves Korean, accented Latin and emoji text alone apart from punctuation', () => {
    expect(stripStrings('안녕하세요, 세계! Ça va? 👍🏽🎉')).toBe('안녕하세요  세계  Ça va  👍🏽🎉')
  })

  it('maps the empty text to the empty text', () => {
    expect(stripStrings('')).toBe('')
  })

  it('streams to exactly the whole-text result for any chunking', () => {
    const alphabet = fc.constantFrom(
      'a',
      'é',
      'e\u0301',
      "'",
      '’',
      '.',
      ',',
      '1',
      ' ',
      '\n',
      '한',
      '👍',
      '\u0000',
      '!',
      '\u200b',
    )
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 60 }),
        fc.array(fc.nat(60), { maxLength: 6 }),
        (chars, cuts) => {
          const text = chars.join('')
          const safeCuts = cuts
            .map((cut) => Math.min(cut, text.length))
            .filter((cut) => !/[\udc00-\udfff]/.test(text[cut] ?? ''))
          expect(streamed(text, safeCuts)).toBe(stripStrings(text))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('bounds the carry on texts without whitespace and still strips every character', () => {
    const text = `${'東京都に住んでいます'.repeat(2_000)}!`
    const out = streamed(text, [5_000, 10_000, 15_000], 1_000)
    expect(out).toBe(stripStrings(text))
  })
})
