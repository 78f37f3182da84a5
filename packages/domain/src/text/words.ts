import { bmpTable } from './char-table'
import { createCarry, type TakeRange } from './streaming'

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

/** Created on first use: its ICU data (rules, dictionaries) is ~8 MB of a process's RSS. */
let segmenter: Intl.Segmenter | undefined

/**
 * Whitespace always separates words: UAX #29 breaks on both sides of it (WB3a, WB3b, WB999), and
 * what it can hold on to (more horizontal space, WB3d; marks and format characters after it, WB4)
 * never makes a word. So each whitespace-separated token can be segmented alone, and a token
 * seen 10,000 times needs segmenting once. The exception is U+202F NARROW NO-BREAK SPACE: White_Space,
 * but ExtendNumLet for word breaks (`a\u202Fb` is one word, WB13a/b), so it stays inside tokens.
 */
let separators: Uint8Array | undefined
const separatorTable = (): Uint8Array => {
  separators ??= Uint8Array.from(bmpTable([[/(?!\u202F)\p{White_Space}/gu, 1]]))
  return separators
}

/**
 * A token made only of these characters is exactly one UAX #29 word: they are all ALetter or
 * Numeric, which never break against each other (WB5, WB8, WB9, WB10), and none needs a
 * dictionary. Hangul syllables alone: ICU breaks between them and other letters or digits, and
 * jamo compose, so only precomposed syllables (U+AC00–D7A3). They skip the segmenter, which would
 * find the same single word. Everything else (punctuation, marks, CJK, Thai, kana, emoji) goes
 * through Intl.Segmenter; a property test pins the two paths together.
 */
const SIMPLE_WORD = /^(?:[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}0-9]+|[\uAC00-\uD7A3]+)$/u
const LETTERS_ONLY = /^[\p{L}\p{Nl}0-9]+$/u

/** Bounds on the tokens held between two flushes: ~64 Ki distinct ones, 1 Mi UTF-16 units of them. */
const MAX_PENDING_TOKENS = 1 << 16
const MAX_PENDING_UNITS = 1 << 20
/** Longer tokens (runs of CJK or Thai without spaces) rarely repeat: segmented at once, never held. */
const LONG_TOKEN_UNITS = 1024

/** Slots looked at for one token before the table counts as full (and is flushed). */
const MAX_PROBES = 32

const add = (counts: Map<string, number>, word: string, times: number) => {
  const key = word.normalize('NFC').toLowerCase()
  counts.set(key, (counts.get(key) ?? 0) + times)
}

/**
 * Occurrences of distinct tokens, keyed by their UTF-16 units: an open-addressing hash table over
 * typed arrays, so counting a token allocates nothing. A Map would need a string per token, which
 * costs more than the rest of the pass. A slot holds a token's length and its first, middle and
 * last units exactly (`ends`, `middles`), and the slot is chosen by a hash of those four: so a
 * token is found by comparing only the units between its first and last, once, instead of
 * reading all of them to hash and again to compare (tokens of up to three units are not read
 * again at all). Tokens that share those four are told apart by the comparison; probes are
 * bounded (MAX_PROBES), so even a text made of such tokens only flushes more often. Grows to
 * `maxTokens` entries / `maxUnits` units of token text; `insert` returns false when the token
 * does not fit any more (then flush and reset). A token may sit in two slots (one moved out of
 * reach of its probes by growing): harmless, both counts are added up by word when drained.
 */
const createTokenTable = (maxTokens: number, maxUnits: number) => {
  let mask = 255
  let used = 0
  /** First unit | last unit << 16. */
  let ends = new Int32Array(mask + 1)
  /** Middle unit | length << 16; 0 for a free slot. */
  let middles = new Int32Array(mask + 1)
  let starts = new Int32Array(mask + 1)
  let counts = new Float64Array(mask + 1)
  /** The slots in use, so draining costs what the table holds, not its size. */
  let occupied = new Int32Array((mask + 1) >> 1)
  let units = new Uint16Array(4096)
  let unitsUsed = 0

  const home = (end: number, middle: number): number => {
    const hash = Math.imul(Math.imul(end, 0x9e3779b1) ^ middle, 0x85ebca6b)
    return (hash ^ (hash >>> 15)) & mask
  }

  const grow = () => {
    const old = { ends, middles, starts, counts, occupied }
    mask = mask * 2 + 1
    ends = new Int32Array(mask + 1)
    middles = new Int32Array(mask + 1)
    starts = new Int32Array(mask + 1)
    counts = new Float64Array(mask + 1)
    occupied = new Int32Array((mask + 1) >> 1)
    for (let entry = 0; entry < used; entry++) {
      const slot = old.occupied[entry]!
      let to = home(old.ends[slot]!, old.middles[slot]!)
      while (middles[to]) to = (to + 1) & mask
      ends[to] = old.ends[slot]!
      middles[to] = old.middles[slot]!
      starts[to] = old.starts[slot]!
      counts[to] = old.counts[slot]!
      occupied[entry] = to
    }
  }

  return {
    /** Counts `text[from, to)` (never empty, at most 0xffff units) if the table holds it. */
    count(text: string, from: number, to: number): boolean {
      const end = text.charCodeAt(from) | (text.charCodeAt(to - 1) << 16)
      const middle = text.charCodeAt((from + to) >> 1) | ((to - from) << 16)
      let slot = home(end, middle)
      for (let probe = 0; probe < MAX_PROBES; probe++) {
        const seen = middles[slot]!
        if (!seen) return false
        if (seen === middle && ends[slot] === end) {
          const start = starts[slot]! - from
          let at = from + 1
          while (at < to - 1 && units[start + at] === text.charCodeAt(at)) at++
          if (at >= to - 1) {
            counts[slot]!++
            return true
          }
        }
        slot = (slot + 1) & mask
      }
      return false
    },
    /** Adds `text[from, to)`, which it does not hold, with one occurrence; false if it is full. */
    insert(text: string, from: number, to: number): boolean {
      const length = to - from
      if (used >= maxTokens || unitsUsed + length > maxUnits) return false
      const end = text.charCodeAt(from) | (text.charCodeAt(to - 1) << 16)
      const middle = text.charCodeAt((from + to) >> 1) | (length << 16)
      let slot = home(end, middle)
      for (let probe = 0; middles[slot]; probe++) {
        if (probe === MAX_PROBES) return false
        slot = (slot + 1) & mask
      }
      if (unitsUsed + length > units.length) {
        const larger = new Uint16Array(Math.min(maxUnits, Math.max(units.length * 2, unitsUsed + length)))
        larger.set(units.subarray(0, unitsUsed))
        units = larger
      }
      for (let unit = 0; unit < length; unit++) units[unitsUsed + unit] = text.charCodeAt(from + unit)
      ends[slot] = end
      middles[slot] = middle
      starts[slot] = unitsUsed
      counts[slot] = 1
      occupied[used] = slot
      unitsUsed += length
      // Half full at most, so probe sequences stay short.
      if (++used * 2 > mask) grow()
      return true
    },
    /** Every distinct token with its count; then the table is empty. */
    drain(visit: (token: string, times: number) => void): void {
      for (let entry = 0; entry < used; entry++) {
        const slot = occupied[entry]!
        const start = starts[slot]!
        // fromCharCode keeps even a lone surrogate as it is (a UTF-16 decoder would not).
        visit(String.fromCharCode(...units.subarray(start, start + (middles[slot]! >>> 16))), counts[slot]!)
        middles[slot] = 0
      }
      used = 0
      unitsUsed = 0
    },
  }
}

/** Tokens of one flush that need the segmenter, with their counts. */
interface SlowTokens {
  text: string[]
  times: number[]
}

/** Segments the tokens in one call (joined by spaces, which separate words: see separatorTable). */
const segmentInto = (slow: SlowTokens, counts: Map<string, number>): number => {
  let total = 0
  let token = 0
  let next = slow.text[0]!.length + 1
  segmenter ??= new Intl.Segmenter('und', { granularity: 'word' })
  for (const segment of segmenter.segment(slow.text.join(' '))) {
    while (segment.index >= next) next += slow.text[++token]!.length + 1
    if (!segment.isWordLike) continue
    add(counts, segment.segment, slow.times[token]!)
    total += slow.times[token]!
  }
  return total
}

/** Counts words into a vocabulary, token by token; `flush` turns the tokens held into words. */
const createCounter = (maxTokens = MAX_PENDING_TOKENS, maxUnits = MAX_PENDING_UNITS) => {
  const counts = new Map<string, number>()
  const tokens = createTokenTable(maxTokens, maxUnits)
  const longToken = Math.min(LONG_TOKEN_UNITS, maxUnits)
  let total = 0

  const flush = () => {
    const slow: SlowTokens = { text: [], times: [] }
    tokens.drain((token, times) => {
      if (SIMPLE_WORD.test(token) && LETTERS_ONLY.test(token)) {
        add(counts, token, times)
        total += times
      } else {
        slow.text.push(token)
        slow.times.push(times)
      }
    })
    if (slow.text.length) total += segmentInto(slow, counts)
  }

  const SEPARATORS = separatorTable()
  /** A run between two spaces that is no token seen before: its tokens, split on every separator. */
  const countRun = (text: string, from: number, to: number) => {
    let at = from
    while (at < to) {
      if (SEPARATORS[text.charCodeAt(at)]) {
        at++
        continue
      }
      const start = at
      while (++at < to && !SEPARATORS[text.charCodeAt(at)]);
      if (at - start > longToken) {
        total += segmentInto({ text: [text.slice(start, at)], times: [1] }, counts)
        continue
      }
      if (tokens.count(text, start, at) || tokens.insert(text, start, at)) continue
      // The emptied table takes any token up to `longToken` units.
      flush()
      tokens.insert(text, start, at)
    }
  }

  /**
   * Counts the tokens of `text[from, to)`, which ends at a token boundary. Remove Whitespace
   * leaves single U+0020 between tokens, so the runs between spaces (found natively by indexOf)
   * are tokens, and a run the table holds is one: the table holds no separator. Any other run is
   * split on every separator (countRun).
   */
  const scan: TakeRange = (text, from, to) => {
    let at = from
    while (at < to) {
      let end = text.indexOf(' ', at)
      if (end < 0 || end > to) end = to
      // A run longer than any token the table holds is not looked up (and its length would not fit a key).
      if (end > at && (end - at > longToken || !tokens.count(text, at, end))) countRun(text, at, end)
      at = end + 1
    }
  }

  return {
    scan,
    stats(topN: number): WordStats {
      flush()
      return { totalWords: total, distinctWords: counts.size, topWords: topOf(counts, topN) }
    },
  }
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
  const counter = createCounter()
  counter.scan(text, 0, text.length)
  return counter.stats(topN)
}

/** Memory bounds of a streaming counter (tests make them small to exercise the flushes). */
export interface WordCounterLimits {
  /** Distinct tokens held before they are turned into words. */
  maxPendingTokens?: number
  /** UTF-16 units of distinct tokens held before they are turned into words. */
  maxPendingUnits?: number
}

/**
 * Streaming word counter for texts above the inline limit: `push` UTF-16 chunks in order (decode
 * bytes with a streaming `TextDecoder` first), then `finish`. Memory is the vocabulary, the
 * distinct tokens since the last flush (bounded) and one carried partial token, not the text.
 */
export const createWordCounter = (topN = DEFAULT_TOP_N, limits: WordCounterLimits = {}) => {
  const counter = createCounter(limits.maxPendingTokens, limits.maxPendingUnits)
  const carry = createCarry(separatorTable())
  return {
    push(chunk: string): void {
      carry.push(chunk, counter.scan)
    },
    finish(): WordStats {
      carry.end(counter.scan)
      return counter.stats(topN)
    },
  }
}
