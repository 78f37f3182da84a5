import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stripStrings } from './strip'
import { chunksOf, textWithCuts } from './test-texts'
import { removeWhitespace } from './whitespace'
import { countWords, createWordCounter, type WordStats } from './words'

const streamedCount = (text: string, chunkSize: number, topN?: number) => {
  const counter = createWordCounter(topN)
  for (let at = 0; at < text.length; at += chunkSize) counter.push(text.slice(at, at + chunkSize))
  return counter.finish()
}

describe('countWords', () => {
  it('counts Korean words separated by spaces', () => {
    const stats = countWords('안녕하세요 세계 안녕하세요')
    expect(stats).toEqual({
      totalWords: 3,
      distinctWords: 2,
      topWords: [
        { word: '안녕하세요', count: 2 },
        { word: '세계', count: 1 },
      ],
    })
  })

  it('folds case and Unicode normalisation forms of accented Latin into one word', () => {
    const stats = countWords('Café café CAFÉ cafe\u0301 naïve')
    expect(stats.totalWords).toBe(5)
    expect(stats.distinctWords).toBe(2)
    expect(stats.topWords[0]).toEqual({ word: 'café', count: 4 })
  })

  it('does not count emoji, punctuation or whitespace as words', () => {
    expect(countWords('👍🏽 🎉 👨\u200d👩\u200d👧 — !!! ... ').totalWords).toBe(0)
    expect(countWords('I ❤️ NY 👍').totalWords).toBe(2)
  })

  it('segments scripts without spaces with the dictionary rules of Intl.Segmenter', () => {
    expect(countWords('東京都に住んでいます').totalWords).toBeGreaterThan(1)
    expect(countWords('สวัสดีครับ').totalWords).toBe(2)
  })

  it('keeps numbers and contractions whole', () => {
    expect(
      countWords("don't 3.14 1,000")
        .topWords.map((entry) => entry.word)
        .sort(),
    ).toEqual(['1,000', '3.14', "don't"].sort())
  })

  it('returns zeros for the empty text', () => {
    expect(countWords('')).toEqual({ totalWords: 0, distinctWords: 0, topWords: [] })
  })

  it('orders ties by code point and honours topN', () => {
    const stats = countWords('b a c b a c d', 2)
    expect(stats.topWords).toEqual([
      { word: 'a', count: 2 },
      { word: 'b', count: 2 },
    ])
  })

  it('counts the pipeline output of a mixed-language text as expected', () => {
    const text = '  Hello,   WORLD!\n안녕하세요 — 세계; ça va? 👍🏽 hello\t'
    const stats = countWords(removeWhitespace(stripStrings(text)))
    expect(stats.totalWords).toBe(7)
    expect(stats.topWords[0]).toEqual({ word: 'hello', count: 2 })
  })
})

describe('createWordCounter (streaming)', () => {
  it('matches the whole-text count for any chunk size', () => {
    const words = fc.constantFrom('안녕', 'café', 'e\u0301t\u00e9', "don't", '3.14', 'word', '👍🏽', '東京')
    const separators = fc.constantFrom(' ', '\n', ', ', '\u3000', '')
    fc.assert(
      fc.property(
        fc.array(fc.tuple(words, separators), { maxLength: 40 }),
        fc.integer({ min: 1, max: 17 }),
        (parts, size) => {
          const text = parts.map(([word, sep]) => word + sep).join('')
          const chunked = streamedCount(text, size)
          const whole = countWords(text)
          expect(chunked.totalWords).toBe(whole.totalWords)
          expect(chunked.distinctWords).toBe(whole.distinctWords)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('counts a huge text in bounded chunks with the same result as one pass', () => {
    const line = 'The quick brown fox 안녕하세요 세계 café naïve 👍🏽 jumps over the lazy dog.\n'
    const text = line.repeat(60_000)
    const streamed = streamedCount(text, 64 * 1024, 5)
    expect(streamed.totalWords).toBe(13 * 60_000)
    expect(streamed).toEqual(countWords(text, 5))
  })

  it('finishes with zeros when nothing was pushed', () => {
    expect(createWordCounter().finish()).toEqual({ totalWords: 0, distinctWords: 0, topWords: [] })
  })
})

describe('the fast path (tokens counted once, simple ones not segmented)', () => {
  /** The definition itself: the whole text through Intl.Segmenter, every word-like segment counted. */
  const reference = (text: string, topN: number): WordStats => {
    const counts = new Map<string, number>()
    let totalWords = 0
    for (const segment of new Intl.Segmenter('und', { granularity: 'word' }).segment(text)) {
      if (!segment.isWordLike) continue
      const word = segment.segment.normalize('NFC').toLowerCase()
      counts.set(word, (counts.get(word) ?? 0) + 1)
      totalWords++
    }
    const topWords = [...counts]
      .map(([word, count]) => ({ word, count }))
      .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
      .slice(0, topN)
    return { totalWords, distinctWords: counts.size, topWords }
  }

  it('counts exactly as Intl.Segmenter on the whole text, for any text, chunking and flush bounds', () => {
    fc.assert(
      fc.property(
        textWithCuts({ loneSurrogates: true }),
        fc.record({
          maxPendingTokens: fc.integer({ min: 1, max: 6 }),
          maxPendingUnits: fc.integer({ min: 1, max: 40 }),
        }),
        fc.integer({ min: 1, max: 12 }),
        ([text, cuts], limits, topN) => {
          const expected = reference(text, 1_000)
          expect(countWords(text, 1_000)).toEqual(expected)
          const bounded = createWordCounter(topN, limits)
          for (const chunk of chunksOf(text, cuts)) bounded.push(chunk)
          expect(bounded.finish()).toEqual(reference(text, topN))
          const streamed = createWordCounter(1_000)
          for (const chunk of chunksOf(text, cuts)) streamed.push(chunk)
          expect(streamed.finish()).toEqual(expected)
        },
      ),
      { numRuns: 3_000 },
    )
    // 3,000 full-Unicode cases, each against Intl.Segmenter: ~5 s on a loaded 2-core runner.
  }, 60_000)

  it('counts repeated tokens, simple and segmented, as often as they occur across flushes', () => {
    const text = "Word word 東京都に住んでいます don't 3.14 👍🏽 слово a\u202fb\n".repeat(500)
    const counter = createWordCounter(20, { maxPendingTokens: 3, maxPendingUnits: 64 })
    for (let at = 0; at < text.length; at += 1_000) counter.push(text.slice(at, at + 1_000))
    expect(counter.finish()).toEqual(reference(text, 20))
  })

  it('tells apart tokens that share their length and first, middle and last units, however many', () => {
    // The token table keys a slot by those four and compares the rest: 'abcde' and 'axcde' share
    // them, and 900 such tokens fill probe sequences well past their bound.
    const letters = 'bdfghjklmnpqrstvwxyz0123456789'
    const tokens = [...letters].flatMap((second) => [...letters].map((fourth) => `a${second}c${fourth}e`))
    const text = [...tokens, ...tokens.slice(0, 50), 'abcde', 'axcde', 'abcde'].join(' ')
    const expected = reference(text, 20)
    expect(expected.distinctWords).toBe(900)
    expect(countWords(text, 20)).toEqual(expected)
    const streamed = createWordCounter(20)
    for (let at = 0; at < text.length; at += 1_000) streamed.push(text.slice(at, at + 1_000))
    expect(streamed.finish()).toEqual(expected)
  })

  it('tells apart tokens over a two-letter alphabet, which mostly share the table key', () => {
    const token = fc.string({ unit: fc.constantFrom('a', 'b'), minLength: 1, maxLength: 7 })
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        const text = tokens.join(' ')
        expect(countWords(text, 1_000)).toEqual(reference(text, 1_000))
      }),
      { numRuns: 300 },
    )
  })

  it('segments a token longer than the pending bound at once, with the same words', () => {
    const text = `${'東京都に住んでいます'.repeat(300)} ${'x'.repeat(5_000)} x`
    expect(countWords(text, 5)).toEqual(reference(text, 5))
  })
})
