import { bmpTable } from './char-table'

/**
 * Chunk boundaries for the streamed steps (texts above the inline limit are read from S3 in
 * chunks). A chunk may end inside a word, so the part after its last whitespace waits for the
 * next chunk. Whitespace is a boundary for every rule of strip and word segmentation, so the
 * streamed output equals the whole-text output.
 */
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
 * For a carry without any separator: above `maxCarry`, the part before its last two letters that
 * NFC cannot join (so not between Hangul jamo or a letter and its combining mark) is ready.
 */
const splitUnbroken = (text: string, maxCarry: number): [ready: string, carry: string] => {
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
 * Splits a stream of chunks at its separators (a BMP table, nonzero: a boundary unit) without
 * gluing each chunk to the carry: only the token that straddles two chunks is copied (carry + the
 * chunk up to its first separator); the rest of the chunk, up to its last separator, is handed
 * over in place, as a range of the decoder's own flat string. Gluing and slicing every chunk cost
 * a copy of the whole text and a slower string representation in every pass.
 */
export const createCarry = (separators: Uint8Array, maxCarry = MAX_CARRY_CHARS) => {
  let carry = ''
  return {
    /** Length of the carry: output for the next chunk is at most this plus the chunk's length. */
    get pending(): number {
      return carry.length
    },
    push(chunk: string, take: TakeRange): void {
      let last = chunk.length - 1
      while (last >= 0 && !separators[chunk.charCodeAt(last)]) last--
      if (last < 0) {
        const [ready, rest] = splitUnbroken(carry + chunk, maxCarry)
        carry = rest
        if (ready) take(ready, 0, ready.length)
        return
      }
      let from = 0
      if (carry) {
        while (!separators[chunk.charCodeAt(from)]) from++
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
