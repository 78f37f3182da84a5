import { bmpTable, outputBuffer, unitsToString } from './char-table'
import { isNfcUnstableAstral, nfcUnstableBmp } from './nfc'
import { createChunkedTransform } from './streaming'

/**
 * "Strip Strings", the first step of the text pipeline. A per-character rewrite:
 * 1. Unicode NFC normalisation, so `e\u0301` and `é` become the same word.
 * 2. Removed: control characters that are not whitespace (NUL, ESC, DEL...), lone surrogates, and
 *    format characters (zero-width space, BOM, soft hyphen, bidi marks) except ZWNJ/ZWJ, which
 *    Persian/Indic spelling and emoji sequences need.
 * 3. Every punctuation character (`\p{P}`) becomes a space, except the ones UAX #29 treats as
 *    word-internal and that change a word when dropped: an apostrophe (`'` or `’`) between two
 *    letters (`don't`, `l’été`) and a `.` or `,` between two digits (`3.14`, `1,000`).
 *    "Between" looks past removed characters, and a letter may carry combining marks.
 *    Symbols (`$`, `+`, emoji) are kept: they are not punctuation.
 * It never trims nor collapses whitespace (that is "Remove Whitespace"), which keeps it a pure
 * map of each character and its neighbours, so it streams chunk by chunk with identical output.
 */

// What the pass needs to know of a character, as bits (one table lookup per UTF-16 unit).
const REMOVED = 1
const PUNCTUATION = 2
const LETTER = 4
const MARK = 8
const NUMBER = 16
const APOSTROPHE = 32
const DIGIT_SEPARATOR = 64
/** BMP table: half of a pair, decoded by the pass. Astral table: the entry has been computed. */
const SURROGATE_OR_KNOWN = 128
/** NFC may change it or its neighbours (see nfc.ts): only a text with one needs the normaliser. */
const NFC_UNSTABLE = 256
/** Everything but these characters is copied as it is. */
const SPECIAL = REMOVED | PUNCTUATION | SURROGATE_OR_KNOWN | NFC_UNSTABLE

// Lookaheads instead of `v`-flag set subtraction, which the ES2023 target does not compile.
const RULES: readonly (readonly [RegExp, number])[] = [
  [/(?!\p{White_Space})\p{Cc}|(?![\u200C\u200D])\p{Cf}/gu, REMOVED],
  [/\p{P}/gu, PUNCTUATION],
  [/\p{L}/gu, LETTER],
  [/\p{M}/gu, MARK],
  [/\p{N}/gu, NUMBER],
]
const BMP = bmpTable([...RULES, [/['’]/gu, APOSTROPHE], [/[.,]/gu, DIGIT_SEPARATOR]]).fill(
  SURROGATE_OR_KNOWN,
  0xd800,
  0xe000,
)
for (const unit of nfcUnstableBmp()) BMP[unit]! |= NFC_UNSTABLE
/** Supplementary planes (emoji, historic scripts, math letters), filled on first sight: 2 MB. */
const ASTRAL = new Uint16Array(0x100000)

const astral = (codePoint: number): number => {
  let props = ASTRAL[codePoint - 0x10000]!
  if (props === 0) {
    const char = String.fromCodePoint(codePoint)
    props = SURROGATE_OR_KNOWN | (isNfcUnstableAstral(char) ? NFC_UNSTABLE : 0)
    for (const [regex, bit] of RULES) {
      regex.lastIndex = 0
      if (regex.test(char)) props |= bit
    }
    ASTRAL[codePoint - 0x10000] = props
  }
  return props
}

const pairAt = (high: number, low: number): number =>
  high >= 0xd800 && high < 0xdc00 && low >= 0xdc00 && low <= 0xdfff
    ? ((high - 0xd800) << 10) + (low - 0xdc00) + 0x10000
    : -1

/** The first character from `at` on that is not removed (0 at the end of the text). */
const nextKept = (text: string, at: number): number => {
  while (at < text.length) {
    const unit = text.charCodeAt(at)
    let props = BMP[unit]!
    if (props & SURROGATE_OR_KNOWN) {
      const codePoint = pairAt(unit, text.charCodeAt(at + 1))
      if (codePoint < 0) props = REMOVED
      else {
        props = astral(codePoint)
        at++
      }
    }
    if (!(props & REMOVED)) return props
    at++
  }
  return 0
}

/**
 * The character written last. It stands for the last character not removed: a punctuation mark
 * written as a space was no letter, mark or number either, and only those properties are asked.
 */
const lastWritten = (out: Uint16Array, written: number): number => {
  if (written === 0) return 0
  const unit = out[written - 1]!
  const props = BMP[unit]!
  if (!(props & SURROGATE_OR_KNOWN)) return props
  return astral(pairAt(out[written - 2]!, unit))
}

/** For an apostrophe or a digit separator at `at`: is it inside a word? The next character is looked up only when the previous one qualifies. */
const keepsPunctuation = (
  props: number,
  out: Uint16Array,
  written: number,
  text: string,
  at: number,
): boolean =>
  props & APOSTROPHE
    ? (lastWritten(out, written) & (LETTER | MARK)) !== 0 && (nextKept(text, at + 1) & LETTER) !== 0
    : (lastWritten(out, written) & NUMBER) !== 0 && (nextKept(text, at + 1) & NUMBER) !== 0

/** Strips a whole text (see the module comment for the exact rules). */
export const stripStrings = (text: string): string => strip(text, false)

/**
 * One pass. Text that is not known to be NFC is taken as it is until a character NFC could
 * change turns up; then the pass starts again on `text.normalize('NFC')`. Decisions made
 * before are thrown away with their output, so every character written was judged in NFC text.
 */
const strip = (text: string, normalized: boolean): string => {
  const length = text.length
  // Never longer than the input: characters are kept, dropped, or become one space.
  const out = outputBuffer(length)
  let written = 0
  for (let at = 0; at < length; at++) {
    const unit = text.charCodeAt(at)
    const props = BMP[unit]!
    if (!(props & SPECIAL)) out[written++] = unit
    else if (props & NFC_UNSTABLE && !normalized) return strip(text.normalize('NFC'), true)
    else if (props & PUNCTUATION) {
      const kept = props & (APOSTROPHE | DIGIT_SEPARATOR) && keepsPunctuation(props, out, written, text, at)
      out[written++] = kept ? unit : 0x20
    } else if (props & SURROGATE_OR_KNOWN) {
      const low = text.charCodeAt(at + 1)
      const codePoint = pairAt(unit, low)
      // A lone surrogate is removed; so is an astral format character. Astral punctuation is
      // never an apostrophe or a digit separator.
      if (codePoint < 0) continue
      const pair = astral(codePoint)
      if (pair & NFC_UNSTABLE && !normalized) return strip(text.normalize('NFC'), true)
      at++
      if (pair & PUNCTUATION) out[written++] = 0x20
      else if (!(pair & REMOVED)) {
        out[written++] = unit
        out[written++] = low
      }
    } else if (!(props & REMOVED)) out[written++] = unit
  }
  return unitsToString(out, written)
}

/** Streaming form of `stripStrings`: same output for any chunking of the same text. */
export const createStripper = (maxCarry?: number) => createChunkedTransform(stripStrings, maxCarry)
