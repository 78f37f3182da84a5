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

/** Counts words into `counts`; returns how many it saw. */
const countInto = (text: string, counts: Map<string, number>): number => {
  let total = 0
  for (const segment of segmenter.segment(text)) {
    if (!segment.isWordLike) continue
    const word = segment.segment.normalize('NFC').toLowerCase()
    counts.set(word, (counts.get(word) ?? 0) + 1)
    total++
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
