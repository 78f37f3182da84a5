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
 *    Symbols (`$`, `+`, emoji) are kept: they are not punctuation.
 * It never trims nor collapses whitespace (that is "Remove Whitespace"), which keeps it a pure
 * map of each character and its neighbours, so it streams chunk by chunk with identical output.
 */
// Set subtraction needs the `v` flag (ES2024); the constructor keeps the ES2023 target compiling.
// biome-ignore lint/complexity/useRegexLiterals: a `v`-flag literal does not compile for ES2023
const REMOVED = new RegExp('[[\\p{Cc}--\\p{White_Space}]\\p{Cs}[\\p{Cf}--[\\u200C\\u200D]]]', 'gv')
const PUNCTUATION = /\p{P}/gu
const LETTER_BEFORE = /[\p{L}\p{M}]$/u
const LETTER_AFTER = /^\p{L}/u
const DIGIT_BEFORE = /\p{N}$/u
const DIGIT_AFTER = /^\p{N}/u

const keepsPunctuation = (char: string, before: string, after: string): boolean => {
  if (char === "'" || char === '\u2019') return LETTER_BEFORE.test(before) && LETTER_AFTER.test(after)
  if (char === '.' || char === ',') return DIGIT_BEFORE.test(before) && DIGIT_AFTER.test(after)
  return false
}

/** Strips a whole text (see the module comment for the exact rules). */
export const stripStrings = (text: string): string =>
  text
    .normalize('NFC')
    .replace(REMOVED, '')
    .replace(PUNCTUATION, (char: string, offset: number, whole: string) =>
      keepsPunctuation(
        char,
        whole.slice(Math.max(0, offset - 2), offset),
        whole.slice(offset + 1, offset + 3),
      )
        ? char
        : ' ',
    )

/** Streaming form of `stripStrings`: same output for any chunking of the same text. */
export const createStripper = (maxCarry?: number) => createChunkedTransform(stripStrings, maxCarry)
