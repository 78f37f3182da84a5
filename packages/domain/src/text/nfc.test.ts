import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isNfcUnstableAstral, nfcUnstableBmp } from './nfc'
import { texts } from './test-texts'

const bmpUnstable = new Set(nfcUnstableBmp())
const isUnstable = (char: string) =>
  char.length === 1 ? bmpUnstable.has(char.charCodeAt(0)) : isNfcUnstableAstral(char)

/** Every code point but the surrogates. */
const everyChar = function* () {
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++)
    if (codePoint < 0xd800 || codePoint > 0xdfff) yield String.fromCodePoint(codePoint)
}

describe('NFC-unstable characters', () => {
  it('include every character NFC changes and every later part of a canonical decomposition', () => {
    const missed: string[] = []
    for (const char of everyChar()) {
      if (char.normalize('NFC') !== char && !isUnstable(char)) missed.push(char)
      for (const part of [...char.normalize('NFD')].slice(1)) if (!isUnstable(part)) missed.push(part)
    }
    expect(missed.map((char) => char.codePointAt(0)!.toString(16))).toEqual([])
  })

  it('include every character that canonical reordering can move (combining class ≠ 0)', () => {
    const missed: string[] = []
    for (const char of everyChar()) {
      if (char.normalize('NFD') !== char) continue
      // A mark of class 1 or 232 next to it changes places with it unless its class is 0 (or equal).
      const moved =
        `a\u0315${char}`.normalize('NFD') !== `a\u0315${char}` ||
        `a${char}\u0334`.normalize('NFD') !== `a${char}\u0334`
      if (moved && !isUnstable(char)) missed.push(char)
    }
    expect(missed.map((char) => char.codePointAt(0)!.toString(16))).toEqual([])
  })

  it('are the only reason for a text not to be in NFC already', () => {
    fc.assert(
      fc.property(texts(), (text) => {
        const stable = [...text].filter((char) => !isUnstable(char)).join('')
        expect(stable.normalize('NFC')).toBe(stable)
      }),
      { numRuns: 3_000 },
    )
  })

  it('leave out the characters of ordinary NFC text', () => {
    const ordinary = [...'café naïve Straße 안녕하세요 東京都に住んでいます สวัสดีครับ 👍🏽 ❤️ 👨‍👩‍👧 — “quoted”']
    expect(ordinary.filter(isUnstable)).toEqual([])
    expect(['\u0301', '\u0323', '\u1161', '\u11a8', '\u212b', '\u0958', '\u0e48'].every(isUnstable)).toBe(
      true,
    )
  })
})
