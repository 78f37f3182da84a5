/**
 * "Remove Whitespace", the second step: every run of Unicode whitespace (`\p{White_Space}`: spaces,
 * tabs, line breaks, NBSP, ideographic space U+3000, line/paragraph separators...) becomes one
 * U+0020, and leading/trailing whitespace is removed. Runs of whitespace are the only thing
 * changed, so words and their order are preserved exactly.
 */
const RUNS = /\p{White_Space}+|\P{White_Space}+/gu
const WHITESPACE = /^\p{White_Space}/u

/** Streaming form: state is one flag per side, so chunk boundaries inside a run are harmless. */
export const createWhitespaceCollapser = () => {
  let sawText = false
  let pendingSpace = false
  return {
    push(chunk: string): string {
      let out = ''
      for (const [run] of chunk.matchAll(RUNS)) {
        if (WHITESPACE.test(run)) {
          pendingSpace = sawText
          continue
        }
        out += pendingSpace ? ` ${run}` : run
        pendingSpace = false
        sawText = true
      }
      return out
    },
    /** Trailing whitespace is dropped, so nothing is ever held back. */
    end: (): string => '',
  }
}

/** Collapses and trims the whitespace of a whole text. */
export const removeWhitespace = (text: string): string => createWhitespaceCollapser().push(text)
