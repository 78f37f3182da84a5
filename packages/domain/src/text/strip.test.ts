import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createStripper, stripStrings } from './strip'
import { chunksOf, texts, textWithCuts } from './test-texts'

/** The rules as written in the module comment, one regex pass each: what the single pass must equal. */
const reference = (text: string): string => {
  // biome-ignore lint/complexity/useRegexLiterals: a `v`-flag literal does not compile for ES2023
  const removed = new RegExp('[[\\p{Cc}--\\p{White_Space}]\\p{Cs}[\\p{Cf}--[\\u200C\\u200D]]]', 'gv')
  const keeps = (char: string, before: string, after: string): boolean => {
    if (char === "'" || char === '\u2019') return /[\p{L}\p{M}]$/u.test(before) && /^\p{L}/u.test(after)
    if (char === '.' || char === ',') return /\p{N}$/u.test(before) && /^\p{N}/u.test(after)
    return false
  }
  return text
    .normalize('NFC')
    .replace(removed, '')
    .replace(/\p{P}/gu, (char: string, offset: number, whole: string) =>
      keeps(char, whole.slice(Math.max(0, offset - 2), offset), whole.slice(offset + 1, offset + 3))
        ? char
        : ' ',
    )
}

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

  it('equals the regex definition on full-Unicode text and on mixtures of scripts, marks, emoji and controls', () => {
    fc.assert(
      fc.property(texts({ loneSurrogates: true }), (text) => {
        expect(stripStrings(text)).toBe(reference(text))
      }),
      { numRuns: 3_000 },
    )
  })

  it('streams to the regex definition of the whole text, cut anywhere', () => {
    fc.assert(
      fc.property(textWithCuts({ loneSurrogates: true }), ([text, cuts]) => {
        const stripper = createStripper()
        const out =
          chunksOf(text, cuts)
            .map((chunk) => stripper.push(chunk))
            .join('') + stripper.end()
        expect(out).toBe(reference(text))
      }),
      { numRuns: 1_000 },
    )
  })

  it('bounds the carry on texts without whitespace and still strips every character', () => {
    const text = `${'東京都に住んでいます'.repeat(2_000)}!`
    const out = streamed(text, [5_000, 10_000, 15_000], 1_000)
    expect(out).toBe(stripStrings(text))
  })
})
