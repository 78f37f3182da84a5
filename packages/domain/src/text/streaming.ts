import { bmpTable } from './char-table'

/**
 * Chunk boundaries for the streamed steps (texts above the inline limit are read from S3 in
 * chunks). A chunk may end inside a word, so the part after its last whitespace waits for the
 * next chunk. Whitespace is a boundary for every rule of strip and word segmentation, so the
 * streamed output equals the whole-text output.
 */
const WHITESPACE = /\p{White_Space}/u
let whitespace: Uint8Array | undefined

/** `\p{White_Space}` as a BMP table (every White_Space character is in the BMP), built once. */
export const whitespaceTable = (): Uint8Array => {
  whitespace ??= Uint8Array.from(bmpTable([[/\p{White_Space}/gu, 1]]))
  return whitespace
}
const TWO_LETTERS = /^\p{L}\p{L}$/u

/**
 * Carry-over above this size is processed anyway, split between two letters, so memory stays
 * bounded on texts without whitespace (long runs of Chinese or Japanese). Only there may a
 * dictionary-segmented word be cut in two: a documented approximation for >64 Ki-char runs.
 */
export const MAX_CARRY_CHARS = 64 * 1024

/**
 * Splits `text` into the part that can be processed now and the carry that must wait for more
 * input. After the last whitespace (or the last character `separator` matches: a regex for one
 * BMP character); without whitespace and above `maxCarry`, between two letters
 * that NFC cannot join (so not between Hangul jamo or a letter and its combining mark).
 */
export const splitForStreaming = (
  text: string,
  maxCarry = MAX_CARRY_CHARS,
  separator: RegExp = WHITESPACE,
): [ready: string, carry: string] => {
  // A backwards scan: a regex for "the last whitespace" backtracks quadratically. Every
  // White_Space character is in the BMP, so testing single UTF-16 units is exact.
  for (let at = text.length - 1; at >= 0; at--)
    if (separator.test(text[at]!)) return [text.slice(0, at + 1), text.slice(at + 1)]
  if (text.length <= maxCarry) return ['', text]
  for (let at = text.length - 1; at > 0; at--) {
    const pair = text.slice(at - 1, at + 1)
    if (TWO_LETTERS.test(pair) && pair.normalize('NFC') === pair) return [text.slice(0, at), text.slice(at)]
  }
  return [text, '']
}

/** Receives a part of the stream that is ready: `text[from, to)`, never empty. */
export type TakeRange = (text: string, from: number, to: number) => void

/**
 * The same boundaries as `splitForStreaming`, without gluing each chunk to the carry: only the
 * token that straddles two chunks is copied (carry + the chunk up to its first separator); the
 * rest of the chunk is handed over in place, as a range of the decoder's own flat string. Gluing
 * and slicing every chunk cost a copy of the whole text and a slower string representation in
 * every pass. `separators` is a BMP table (nonzero: a boundary unit).
 */
export const createCarry = (separators: Uint8Array | Uint16Array, maxCarry = MAX_CARRY_CHARS) => {
  let carry = ''
  const separator = (unit: number): boolean => separators[unit] !== 0
  return {
    /** Length of the carry: output for the next chunk is at most this plus the chunk's length. */
    get pending(): number {
      return carry.length
    },
    push(chunk: string, take: TakeRange): void {
      let last = chunk.length - 1
      while (last >= 0 && !separator(chunk.charCodeAt(last))) last--
      if (last < 0) {
        carry += chunk
        if (carry.length <= maxCarry) return
        // No boundary for more than `maxCarry`: cut between two letters (splitForStreaming).
        const [ready, rest] = splitForStreaming(carry, maxCarry, SINGLE_UNIT_NEVER)
        carry = rest
        if (ready) take(ready, 0, ready.length)
        return
      }
      let from = 0
      if (carry) {
        while (!separator(chunk.charCodeAt(from))) from++
        const head = carry + chunk.slice(0, ++from)
        carry = ''
        take(head, 0, head.length)
      }
      if (from <= last) take(chunk, from, last + 1)
      carry = chunk.slice(last + 1)
    },
    end(take: TakeRange): void {
      const rest = carry
      carry = ''
      if (rest) take(rest, 0, rest.length)
    },
  }
}

/** The carry holds no separator, so splitForStreaming need not look for one. */
const SINGLE_UNIT_NEVER = /(?!)/
