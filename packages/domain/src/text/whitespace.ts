/**
 * "Remove Whitespace", the second step: every run of Unicode whitespace (`\p{White_Space}`: spaces,
 * tabs, line breaks, NBSP, ideographic space U+3000, line/paragraph separators...) becomes one
 * U+0020, and leading/trailing whitespace is removed. Runs of whitespace are the only thing
 * changed, so words and their order are preserved exactly.
 */
const RUNS = /\p{White_Space}+/gu

/**
 * Streaming form: one regex pass per chunk, plus two flags so a run split across chunks still
 * becomes one space, and leading/trailing whitespace of the whole text is dropped.
 */
export const createWhitespaceCollapser = () => {
  let sawText = false
  let pendingSpace = false
  return {
    push(chunk: string): string {
      let out = chunk.replace(RUNS, ' ')
      if (out.startsWith(' ')) {
        out = out.slice(1)
        pendingSpace = sawText
      }
      if (!out) return ''
      const trailing = out.endsWith(' ')
      if (trailing) out = out.slice(0, -1)
      const result = pendingSpace ? ` ${out}` : out
      sawText = true
      pendingSpace = trailing
      return result
    },
    /** Trailing whitespace is dropped, so nothing is ever held back. */
    end: (): string => '',
  }
}

/** Collapses and trims the whitespace of a whole text. */
export const removeWhitespace = (text: string): string => createWhitespaceCollapser().push(text)
