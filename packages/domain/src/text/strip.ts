import { bmpTable, outputBuffer, unitsToString } from './char-table'
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
/** Supplementary planes (emoji, historic scripts, math letters), filled on first sight: 1 MB. */
const ASTRAL = new Uint8Array(0x100000)

const astral = (codePoint: number): number => {
  let props = ASTRAL[codePoint - 0x10000]!
  if (props === 0) {
    const char = String.fromCodePoint(codePoint)
    props = SURROGATE_OR_KNOWN
    for (const [regex, bit] of RULES) {
      regex.lastIndex = 0
      if (regex.test(char)) props |= bit
    }
    ASTRAL[codePoint - 0x10000] = props
  }
  return props
}

/** The character at `at` (a lone surrogate is REMOVED); its width in units is 2 when astral. */
const propsAt = (text: string, at: number): number => {
  const unit = text.charCodeAt(at)
  const props = BMP[unit]!
  if (!(props & SURROGATE_OR_KNOWN)) return props
  const low = text.charCodeAt(at + 1)
  return unit < 0xdc00 && low >= 0xdc00 && low <= 0xdfff
    ? astral(((unit - 0xd800) << 10) + (low - 0xdc00) + 0x10000)
    : REMOVED
}

/** The first character from `at` on that is not removed (0 at the end of the text). */
const nextKept = (text: string, at: number): number => {
  while (at < text.length) {
    const props = propsAt(text, at)
    if (!(props & REMOVED)) return props
    at += props & SURROGATE_OR_KNOWN ? 2 : 1
  }
  return 0
}

const keepsPunctuation = (props: number, before: number, text: string, after: number): boolean => {
  if (props & APOSTROPHE) return (before & (LETTER | MARK)) !== 0 && (nextKept(text, after) & LETTER) !== 0
  if (props & DIGIT_SEPARATOR) return (before & NUMBER) !== 0 && (nextKept(text, after) & NUMBER) !== 0
  return false
}

/** Strips a whole text (see the module comment for the exact rules). One pass after NFC. */
export const stripStrings = (text: string): string => {
  const normalized = text.normalize('NFC')
  const length = normalized.length
  // Never longer than the input: characters are kept, dropped, or become one space.
  const out = outputBuffer(length)
  let written = 0
  /** The last character not removed, as it was in the input: the "before" of a kept apostrophe. */
  let before = 0
  for (let at = 0; at < length; at++) {
    const unit = normalized.charCodeAt(at)
    let props = BMP[unit]!
    if (!(props & (REMOVED | PUNCTUATION | SURROGATE_OR_KNOWN))) {
      out[written++] = unit
      before = props
      continue
    }
    props = propsAt(normalized, at)
    const width = props & SURROGATE_OR_KNOWN ? 2 : 1
    if (!(props & REMOVED)) {
      if (props & PUNCTUATION && !keepsPunctuation(props, before, normalized, at + width))
        out[written++] = 0x20
      else {
        out[written++] = unit
        if (width === 2) out[written++] = normalized.charCodeAt(at + 1)
      }
      before = props
    }
    at += width - 1
  }
  return unitsToString(out, written)
}

/** Streaming form of `stripStrings`: same output for any chunking of the same text. */
export const createStripper = (maxCarry?: number) => createChunkedTransform(stripStrings, maxCarry)
