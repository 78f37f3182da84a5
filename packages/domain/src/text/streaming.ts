/**
 * Chunk boundaries for the streamed steps (texts above the inline limit are read from S3 in
 * chunks). A chunk may end inside a word, so the part after its last whitespace waits for the
 * next chunk. Whitespace is a boundary for every rule of strip and word segmentation, so the
 * streamed output equals the whole-text output.
 */
const WHITESPACE = /\p{White_Space}/u
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

/** Turns a whole-text function that is safe at whitespace boundaries into a chunked one. */
export const createChunkedTransform = (transform: (text: string) => string, maxCarry = MAX_CARRY_CHARS) => {
  let carry = ''
  return {
    push(chunk: string): string {
      const [ready, rest] = splitForStreaming(carry + chunk, maxCarry)
      carry = rest
      return ready ? transform(ready) : ''
    },
    end(): string {
      const rest = carry
      carry = ''
      return rest ? transform(rest) : ''
    },
  }
}
