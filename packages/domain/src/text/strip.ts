import { bmpTable, outputBuffer, unitsToString } from './char-table'
import { isNfcUnstableAstral, nfcUnstableBmp } from './nfc'
import { createCarry, MAX_CARRY_CHARS, type TakeRange, whitespaceTable } from './streaming'

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
/** Filled on first use, so a process that never strips (the other steps) never builds them. */
let BMP: Uint16Array = new Uint16Array(0)
/**
 * What the pass writes for a BMP unit that its table alone decides: the unit itself, or a space for
 * punctuation that is never kept. LOOK_CLOSER for the rest (apostrophes, digit separators, removed
 * characters, surrogates, NFC-unstable ones, and U+FFFF itself). One load per unit and a branch
 * that almost never leaves the copy loop: ~25% faster than testing property bits per unit.
 */
let WRITES = new Uint16Array(0)
const LOOK_CLOSER = 0xffff
/** Supplementary planes (emoji, historic scripts, math letters), filled on first sight: 2 MB. */
let ASTRAL = new Uint16Array(0)

const tables = (): Uint16Array => {
  if (!BMP.length) {
    const bmp = bmpTable([...RULES, [/['’]/gu, APOSTROPHE], [/[.,]/gu, DIGIT_SEPARATOR]])
    bmp.fill(SURROGATE_OR_KNOWN, 0xd800, 0xe000)
    for (const unit of nfcUnstableBmp()) bmp[unit]! |= NFC_UNSTABLE
    ASTRAL = new Uint16Array(0x100000)
    WRITES = new Uint16Array(0x10000)
    for (let unit = 0; unit < 0x10000; unit++) {
      const props = bmp[unit]!
      WRITES[unit] = !(props & SPECIAL)
        ? unit
        : props === (props & (PUNCTUATION | LETTER | MARK | NUMBER)) && props & PUNCTUATION
          ? 0x20
          : LOOK_CLOSER
    }
    BMP = bmp
  }
  return BMP
}

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

/** The first character from `at` on, before `to`, that is not removed (0 if there is none). */
const nextKept = (text: string, at: number, to: number): number => {
  while (at < to) {
    const unit = text.charCodeAt(at)
    let props = BMP[unit]!
    if (props & SURROGATE_OR_KNOWN) {
      const codePoint = pairAt(unit, at + 1 < to ? text.charCodeAt(at + 1) : 0)
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
  to: number,
): boolean =>
  props & APOSTROPHE
    ? (lastWritten(out, written) & (LETTER | MARK)) !== 0 && (nextKept(text, at + 1, to) & LETTER) !== 0
    : (lastWritten(out, written) & NUMBER) !== 0 && (nextKept(text, at + 1, to) & NUMBER) !== 0

/** Set by `stripInto` when it stopped at a character NFC could change (text not known to be NFC). */
const NEEDS_NFC = -1

/**
 * One pass over `text[from, to)`, written to `out` from `written` on; returns the new end of the
 * output, or NEEDS_NFC when a character NFC could change turns up in text not known to be NFC
 * (`normalized`): then the caller starts the range again on its `normalize('NFC')`, so every
 * character written was judged in NFC text. What was written before `written` is the text
 * before the range (a pass looks one character back, to decide an apostrophe or a separator).
 * Output is never longer than the input: characters are kept, dropped, or become one space.
 */
const stripInto = (
  text: string,
  from: number,
  to: number,
  out: Uint16Array,
  written: number,
  normalized: boolean,
): number => {
  const writes = WRITES
  const bmp = BMP
  for (let at = from; at < to; at++) {
    let write = writes[text.charCodeAt(at)]!
    while (write !== LOOK_CLOSER) {
      out[written++] = write
      if (++at === to) return written
      write = writes[text.charCodeAt(at)]!
    }
    const unit = text.charCodeAt(at)
    const props = bmp[unit]!
    if (!(props & SPECIAL)) out[written++] = unit
    else if (props & NFC_UNSTABLE && !normalized) return NEEDS_NFC
    else if (props & PUNCTUATION) {
      const kept =
        props & (APOSTROPHE | DIGIT_SEPARATOR) && keepsPunctuation(props, out, written, text, at, to)
      out[written++] = kept ? unit : 0x20
    } else if (props & SURROGATE_OR_KNOWN) {
      const low = at + 1 < to ? text.charCodeAt(at + 1) : 0
      const codePoint = pairAt(unit, low)
      // A lone surrogate is removed; so is an astral format character. Astral punctuation is
      // never an apostrophe or a digit separator.
      if (codePoint < 0) continue
      const pair = astral(codePoint)
      if (pair & NFC_UNSTABLE && !normalized) return NEEDS_NFC
      at++
      if (pair & PUNCTUATION) out[written++] = 0x20
      else if (!(pair & REMOVED)) {
        out[written++] = unit
        out[written++] = low
      }
    } else if (!(props & REMOVED)) out[written++] = unit
  }
  return written
}

/**
 * Collects the output of the ranges of one push in one buffer, read back as one string: a
 * string per range joined with `+` would leave a rope for the next step to flatten.
 */
const createOutput = () => {
  let out: Uint16Array = new Uint16Array(0)
  let written = 0
  return {
    /** Room for at least `units` more units of output. */
    begin(units: number): void {
      out = outputBuffer(units)
      written = 0
    },
    take(text: string, from: number, to: number): void {
      const end = stripInto(text, from, to, out, written, false)
      if (end !== NEEDS_NFC) {
        written = end
        return
      }
      // NFC may lengthen the text (up to 3x): the buffer grows, keeping what is written.
      const nfc = text.slice(from, to).normalize('NFC')
      if (written + nfc.length > out.length) {
        const larger = new Uint16Array(written + nfc.length)
        larger.set(out.subarray(0, written))
        out = larger
      }
      written = stripInto(nfc, 0, nfc.length, out, written, true)
    },
    string(): string {
      return unitsToString(out, written)
    },
  }
}

/** Strips a whole text (see the module comment for the exact rules). */
export const stripStrings = (text: string): string => {
  tables()
  const output = createOutput()
  output.begin(text.length)
  if (text) output.take(text, 0, text.length)
  return output.string()
}

/** Streaming form of `stripStrings`: same output for any chunking of the same text. */
export const createStripper = (maxCarry = MAX_CARRY_CHARS) => {
  const whitespace = whitespaceTable()
  tables()
  const carry = createCarry(whitespace, maxCarry)
  const output = createOutput()
  const take: TakeRange = (text, from, to) => output.take(text, from, to)
  return {
    push(chunk: string): string {
      output.begin(carry.pending + chunk.length)
      carry.push(chunk, take)
      return output.string()
    },
    end(): string {
      output.begin(carry.pending)
      carry.end(take)
      return output.string()
    },
  }
}
