import { whitespaceTable } from './streaming'

/**
 * "Remove Whitespace", the second step: every run of Unicode whitespace (`\p{White_Space}`: spaces,
 * tabs, line breaks, NBSP, ideographic space U+3000, line/paragraph separators...) becomes one
 * U+0020, and leading/trailing whitespace is removed. Runs of whitespace are the only thing
 * changed, so words and their order are preserved exactly.
 */

/**
 * Streaming form: one pass per chunk that copies spans of words separated by single U+0020 as
 * they are (slices, not characters), plus two flags so a run split across chunks still becomes
 * one space, and leading/trailing whitespace of the whole text is dropped. Every White_Space
 * character is in the BMP, so testing single UTF-16 units is exact, and surrogates (even lone
 * ones) are copied untouched.
 */
export const createWhitespaceCollapser = () => {
  const TABLE = whitespaceTable()
  let sawText = false
  let pendingSpace = false
  return {
    push(chunk: string): string {
      let out = ''
      /** Start of the span being copied (it begins with a word), or -1 between spans. */
      let span = -1
      let at = 0
      const length = chunk.length
      while (at < length) {
        if (!TABLE[chunk.charCodeAt(at)]) {
          if (span < 0) {
            span = at
            if (pendingSpace) out += ' '
            pendingSpace = false
            sawText = true
          }
          at++
          continue
        }
        const run = at
        do at++
        while (at < length && TABLE[chunk.charCodeAt(at)])
        if (span < 0) {
          pendingSpace = sawText
          continue
        }
        // One U+0020 between two words is already the output: the span goes on.
        if (at < length && at === run + 1 && chunk.charCodeAt(run) === 0x20) continue
        out += chunk.slice(span, run)
        span = -1
        // The space is written before the next word, so trailing whitespace never is.
        pendingSpace = true
      }
      return span < 0 ? out : out + chunk.slice(span)
    },
    /** Trailing whitespace is dropped, so nothing is ever held back. */
    end: (): string => '',
  }
}

/** Collapses and trims the whitespace of a whole text. */
export const removeWhitespace = (text: string): string => createWhitespaceCollapser().push(text)
