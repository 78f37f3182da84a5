import { outputBuffer, unitsToString } from './char-table'
import { whitespaceTable } from './streaming'

/**
 * "Remove Whitespace", the second step: every run of Unicode whitespace (`\p{White_Space}`: spaces,
 * tabs, line breaks, NBSP, ideographic space U+3000, line/paragraph separators...) becomes one
 * U+0020, and leading/trailing whitespace is removed. Runs of whitespace are the only thing
 * changed, so words and their order are preserved exactly.
 */

/**
 * Streaming form: one pass per chunk that copies every unit that is not whitespace into one
 * buffer, read back as one flat string (slices joined with `+` made a rope of ~1,000 pieces per
 * chunk, which the next step or the S3 writer then had to flatten), plus two flags so a run split
 * across chunks still becomes one space, and leading/trailing whitespace of the whole text is
 * dropped. Every White_Space character is in the BMP, so testing single UTF-16 units is exact, and
 * surrogates (even lone ones) are copied untouched.
 */
export const createWhitespaceCollapser = () => {
  const whitespace = whitespaceTable()
  let sawText = false
  let pendingSpace = false
  return {
    push(chunk: string): string {
      const length = chunk.length
      // One space may come before the chunk's first word; whitespace never grows otherwise.
      const out = outputBuffer(length + 1)
      let written = 0
      let at = 0
      while (at < length) {
        let unit = chunk.charCodeAt(at)
        if (whitespace[unit]) {
          do at++
          while (at < length && whitespace[chunk.charCodeAt(at)])
          // The space is written before the next word, so trailing whitespace never is.
          pendingSpace = sawText
          continue
        }
        if (pendingSpace) out[written++] = 0x20
        pendingSpace = false
        sawText = true
        do {
          out[written++] = unit
          if (++at === length) break
          unit = chunk.charCodeAt(at)
        } while (!whitespace[unit])
      }
      return unitsToString(out, written)
    },
    /** Trailing whitespace is dropped, so nothing is ever held back. */
    end: (): string => '',
  }
}

/** Collapses and trims the whitespace of a whole text. */
export const removeWhitespace = (text: string): string => createWhitespaceCollapser().push(text)
