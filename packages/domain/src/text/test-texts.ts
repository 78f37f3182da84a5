/**
 * Generated texts for the property tests of the text steps (tests only): the single passes and the
 * word counter's fast path must equal their plain definitions on all of these.
 */
import fc from 'fast-check'

/** Where the word and strip rules have cases: scripts, word-internal punctuation, emoji, marks. */
const PIECES = [
  // Latin, Greek, Cyrillic; case and normalisation forms, ligatures, letter-like numbers
  'word',
  'Word',
  'WORD',
  'café',
  'cafe\u0301',
  'CAFÉ',
  'naïve',
  'Straße',
  'ǅ',
  'İstanbul',
  'ﬀ',
  'Ⅻ',
  'ª',
  'ᵃ',
  'λόγος',
  'ΣΟΦΊΑ',
  'слово',
  'Ёж',
  // Hebrew, Arabic, Devanagari, Hangul (syllables, jamo), kana, Han, Thai, Lao, Khmer
  'שלום',
  'א"ב',
  "ג'",
  'كلمة',
  'मराठी',
  '안녕하세요',
  '\u1100\u1161\u11a8',
  'ㄱ',
  'カタカナ',
  'ｶﾀｶﾅ',
  'ひらがな',
  '東京都に住んでいます',
  '我们今天学习中文',
  'สวัสดีครับ',
  'ພາສາລາວ',
  'ភាសាខ្មែរ',
  // punctuation inside and around words
  "can't",
  "don't",
  'l’été',
  '3.14',
  '1,000',
  '3,14.15',
  'e.g.',
  'a:b',
  'a·b',
  'snake_case',
  '__',
  '_x',
  'x_',
  'a\u202fb',
  '1٫5',
  // digits of other scripts, fullwidth forms, superscripts
  '٣٤',
  '１２３',
  'ａｂｃ',
  '²',
  'x²',
  '𝐀𝐁',
  // emoji: modifiers, ZWJ sequences, flags, keycaps, VS16, tag sequences, letter-like symbols
  '👍🏽',
  '👨\u200d👩\u200d👧',
  '❤️',
  '🇺🇸🇫🇷',
  '1️⃣',
  '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}',
  'ℹ️',
  'I❤️NY',
  // combining marks and format characters, alone and attached
  '\u0301',
  'e\u0301\u0323',
  '\u200d',
  '\u200c',
  '\u00ad',
  '\u200b',
  '\ufeff',
  '\u202e',
  '\u2060',
  // punctuation, symbols, controls
  "'",
  '’',
  '.',
  ',',
  '!',
  '?',
  '—',
  '-',
  '"',
  '(',
  '$',
  '+',
  '#',
  '…',
  '¿',
  '\u0000',
  '\u001b',
  '\u007f',
]

/** Every White_Space character, plus CRLF and doubled spaces. */
const SPACES = [
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\u000b',
  '\u000c',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2001',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2006',
  '\u2007',
  '\u2008',
  '\u2009',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
]

const anyCodePoint = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit))

/**
 * Texts: full-Unicode noise, and mixtures of the pieces above, every kind of whitespace and
 * random code points, joined with or without separators. `loneSurrogates` adds unpaired halves.
 */
export const texts = ({ loneSurrogates = false } = {}): fc.Arbitrary<string> => {
  const part = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...PIECES) },
    { weight: 5, arbitrary: fc.constantFrom(...SPACES) },
    { weight: 2, arbitrary: anyCodePoint },
    { weight: loneSurrogates ? 1 : 0, arbitrary: loneSurrogate },
  )
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.array(part, { maxLength: 50 }).map((parts) => parts.join('')),
  )
}

/** A text and sorted cut positions anywhere in it except inside a surrogate pair (a streaming UTF-8 decoder never splits one). */
export const textWithCuts = (options?: { loneSurrogates?: boolean }) =>
  texts(options).chain((text) =>
    fc.tuple(
      fc.constant(text),
      fc
        .array(fc.nat(text.length), { maxLength: 8 })
        .map((cuts) =>
          [...new Set(cuts)]
            .filter(
              (cut) => !/^[\ud800-\udbff][\udc00-\udfff]$/.test(text.slice(Math.max(0, cut - 1), cut + 1)),
            )
            .sort((a, b) => a - b),
        ),
    ),
  )

/** `text` cut at `cuts`. */
export const chunksOf = (text: string, cuts: readonly number[]): string[] => {
  const chunks: string[] = []
  let from = 0
  for (const cut of cuts) {
    chunks.push(text.slice(from, cut))
    from = cut
  }
  chunks.push(text.slice(from))
  return chunks
}
