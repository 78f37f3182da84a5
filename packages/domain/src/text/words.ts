import { splitForStreaming } from './streaming'

/**
 * "Word Counts", the third step. A word is a segment that `Intl.Segmenter` (Unicode UAX #29 word
 * boundaries, plus ICU dictionaries for scripts without spaces: Chinese, Japanese, Thai...) marks
 * `isWordLike`: runs of letters, digits, ideographs or Hangul syllables. Punctuation, whitespace
 * and emoji are not words (an emoji is a symbol, not a word, in UAX #29). Words are compared
 * after NFC normalisation and locale-independent lower-casing, so `Café`, `café` and
 * `cafe\u0301` are one distinct word.
 */
export interface WordCount {
  readonly word: string
  readonly count: number
}

export interface WordStats {
  readonly totalWords: number
  readonly distinctWords: number
  /** The most frequent words, most frequent first; ties in code point order for stable output. */
  readonly topWords: readonly WordCount[]
}

export const DEFAULT_TOP_N = 10
export const MAX_TOP_N = 100

const segmenter = new Intl.Segmenter('und', { granularity: 'word' })

/**
 * A whitespace-separated token made only of these characters is exactly one UAX #29 word: they
 * are all ALetter or Numeric, which never break against each other (WB5, WB8, WB9, WB10), and
 * none needs a dictionary. One script per token: ICU breaks between Hangul and other letters, and jamo compose: only precomposed syllables (U+AC00–D7A3). Most tokens of Latin, Greek, Cyrillic and Korean text qualify, and skip
 * the segmenter, which is ~20× slower per character. Everything else (punctuation, marks, CJK,
 * Thai, kana, emoji) goes through Intl.Segmenter; a property test pins the two paths together.
 */
const SIMPLE_WORD =
  /^(?:[\p{Script=Latin}0-9]+|[\p{Script=Greek}0-9]+|[\p{Script=Cyrillic}0-9]+|[\uAC00-\uD7A3]+)$/u
const LETTERS_ONLY = /^[\p{L}\p{Nl}0-9]+$/u
const WHITESPACE_RUN = /\p{White_Space}+/u

const add = (counts: Map<string, number>, word: string) => {
  const key = word.normalize('NFC').toLowerCase()
  counts.set(key, (counts.get(key) ?? 0) + 1)
}

/** Counts words into `counts`; returns how many it saw. */
const countInto = (text: string, counts: Map<string, number>): number => {
  let total = 0
  const slow: string[] = []
  for (const token of text.split(WHITESPACE_RUN)) {
    if (!token) continue
    if (SIMPLE_WORD.test(token) && LETTERS_ONLY.test(token)) {
      add(counts, token)
      total++
    } else slow.push(token)
  }
  // Whitespace always separates words, so the leftover tokens can be segmented in one call.
  if (slow.length) {
    for (const segment of segmenter.segment(slow.join(' '))) {
      if (!segment.isWordLike) continue
      add(counts, segment.segment)
      total++
    }
  }
  return total
}

const byCountThenWord = (a: WordCount, b: WordCount): number =>
  b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0)

const topOf = (counts: Map<string, number>, topN: number): WordCount[] => {
  // Partial selection would beat a full sort for huge vocabularies, but a 50 MB text has ~10^5
  // distinct words: the sort is milliseconds next to segmentation.
  const all = Array.from(counts, ([word, count]) => ({ word, count }))
  return all.sort(byCountThenWord).slice(0, topN)
}

/** Counts the words of a whole text. */
export const countWords = (text: string, topN = DEFAULT_TOP_N): WordStats => {
  const counts = new Map<string, number>()
  const totalWords = countInto(text, counts)
  return { totalWords, distinctWords: counts.size, topWords: topOf(counts, topN) }
}

/**
 * Streaming word counter for texts above the inline limit: `push` UTF-16 chunks in order (decode
 * bytes with a streaming `TextDecoder` first), then `finish`. Memory is the vocabulary plus one
 * carried partial word, not the text.
 */
export const createWordCounter = (topN = DEFAULT_TOP_N) => {
  const counts = new Map<string, number>()
  let total = 0
  let carry = ''
  return {
    push(chunk: string): void {
      const [ready, rest] = splitForStreaming(carry + chunk)
      if (ready) total += countInto(ready, counts)
      carry = rest
    },
    finish(): WordStats {
      if (carry) total += countInto(carry, counts)
      carry = ''
      return { totalWords: total, distinctWords: counts.size, topWords: topOf(counts, topN) }
    },
  }
}
