import { NotFoundError, ValidationError } from '@app/domain'
import { TEXT_INLINE_LIMIT_BYTES, TEXT_MAX_BYTES, type TextRef } from '@app/domain/text'
import { describe, expect, it } from 'vitest'
import type { TextStore } from '../ports'
import {
  countWordsStep,
  removeWhitespaceStep,
  stripStep,
  type TextJobState,
  validateTextJob,
  workKey,
} from './text'

type S3Ref = Extract<TextRef, { kind: 's3' }>

/** An in-memory TextStore that hands texts out in small chunks, as a streamed S3 body does. */
const memoryStore = (chunkSize = 7) => {
  const objects = new Map<string, string>()
  const store: TextStore = {
    size: async (ref) => {
      const text = objects.get(ref.key)
      return text === undefined ? undefined : Buffer.byteLength(text)
    },
    async *read(ref) {
      const text = objects.get(ref.key)
      if (text === undefined) throw new Error(`no object ${ref.key}`)
      for (let at = 0; at < text.length; at += chunkSize) yield text.slice(at, at + chunkSize)
    },
    async write(key, chunks) {
      let text = ''
      for await (const chunk of chunks) text += chunk
      objects.set(key, text)
      return { kind: 's3', bucket: 'data', key }
    },
  }
  return { store, objects }
}

const job = (source: TextJobState['source']): TextJobState => ({
  jobId: 'job-1',
  owner: 'u1',
  topN: 3,
  source,
})

const pipeline = async (state: TextJobState, store: TextStore) =>
  countWordsStep(await removeWhitespaceStep(await stripStep(state, store), store), store)

const sample = '  Hello,   WORLD!\n안녕하세요 — 세계; ça va? 👍🏽 hello\tcafe\u0301 CAFÉ  '

describe('text steps', () => {
  it('runs an inline text through strip, whitespace and counts, staying inline', async () => {
    const { store, objects } = memoryStore()
    const stripped = await stripStep(job({ kind: 'inline', text: sample }), store)
    expect(stripped.source).toEqual({
      kind: 'inline',
      text: '  Hello    WORLD \n안녕하세요   세계  ça va  👍🏽 hello\tcafé CAFÉ  ',
    })
    const collapsed = await removeWhitespaceStep(stripped, store)
    expect(collapsed.source).toEqual({
      kind: 'inline',
      text: 'Hello WORLD 안녕하세요 세계 ça va 👍🏽 hello café CAFÉ',
    })
    const counted = await countWordsStep(collapsed, store)
    expect(counted.stats).toEqual({
      totalWords: 9,
      distinctWords: 7,
      topWords: [
        { word: 'café', count: 2 },
        { word: 'hello', count: 2 },
        // Ties in code point order: 'v' (U+0076) before 'w' and 'ç' (U+00E7).
        { word: 'va', count: 1 },
      ],
    })
    expect(objects.size).toBe(0)
  })

  it('streams an S3 text through every step to the same counts as inline', async () => {
    const { store, objects } = memoryStore(5)
    objects.set('texts/inputs/a.txt', sample)
    const fromS3 = await pipeline(job({ kind: 's3', bucket: 'data', key: 'texts/inputs/a.txt' }), store)
    const inline = await pipeline(job({ kind: 'inline', text: sample }), memoryStore().store)
    expect(fromS3.stats).toEqual(inline.stats)
    expect(objects.get(workKey('job-1', 'collapsed'))).toBe(
      'Hello WORLD 안녕하세요 세계 ça va 👍🏽 hello café CAFÉ',
    )
    expect((fromS3.source as S3Ref).key).toBe(workKey('job-1', 'collapsed'))
  })

  it('handles the empty text', async () => {
    const { store } = memoryStore()
    const result = await pipeline(job({ kind: 'inline', text: '' }), store)
    expect(result.stats).toEqual({ totalWords: 0, distinctWords: 0, topWords: [] })
  })

  it('counts a huge streamed text (several MB) exactly', async () => {
    const { store, objects } = memoryStore(64 * 1024)
    const line = 'The quick brown fox, 안녕하세요 세계! café naïve 👍🏽 jumps over the lazy dog.\n'
    objects.set('texts/inputs/huge.txt', line.repeat(40_000))
    const result = await pipeline(job({ kind: 's3', bucket: 'data', key: 'texts/inputs/huge.txt' }), store)
    expect(result.stats.totalWords).toBe(13 * 40_000)
    expect(result.stats.topWords[0]).toEqual({ word: 'the', count: 80_000 })
  })

  it('moves an inline text to S3 when a step output outgrows the inline limit', async () => {
    const { store, objects } = memoryStore()
    // A text exactly at the limit whose strip keeps its size stays inline.
    const text = 'a'.repeat(TEXT_INLINE_LIMIT_BYTES)
    expect((await stripStep(job({ kind: 'inline', text }), store)).source.kind).toBe('inline')
    // NFC of U+0958 (Devanagari QA) is two code points: 3 bytes become 6.
    const growing = '\u0958'.repeat(Math.floor(TEXT_INLINE_LIMIT_BYTES / 3))
    const stripped = await stripStep(job({ kind: 'inline', text: growing }), store)
    expect(stripped.source).toEqual({ kind: 's3', bucket: 'data', key: workKey('job-1', 'stripped') })
    expect(objects.get(workKey('job-1', 'stripped'))).toBe(growing.normalize('NFC'))
  })
})

describe('validateTextJob', () => {
  const input = (source: TextRef) => ({ jobId: 'job-1', owner: 'u1', topN: 10, source })

  it('accepts inline texts and existing S3 texts of this bucket', async () => {
    const { store, objects } = memoryStore()
    objects.set('texts/inputs/a.txt', 'hello')
    await expect(validateTextJob(input({ kind: 'inline', text: 'x' }), store, 'data')).resolves.toBeTruthy()
    await expect(
      validateTextJob(input({ kind: 's3', bucket: 'data', key: 'texts/inputs/a.txt' }), store, 'data'),
    ).resolves.toBeTruthy()
  })

  it('refuses other buckets and prefixes, missing objects and oversized texts', async () => {
    const { store } = memoryStore()
    await expect(
      validateTextJob(input({ kind: 's3', bucket: 'other', key: 'texts/a.txt' }), store, 'data'),
    ).rejects.toBeInstanceOf(ValidationError)
    await expect(
      validateTextJob(input({ kind: 's3', bucket: 'data', key: 'secrets/a.txt' }), store, 'data'),
    ).rejects.toBeInstanceOf(ValidationError)
    await expect(
      validateTextJob(input({ kind: 's3', bucket: 'data', key: 'texts/missing.txt' }), store, 'data'),
    ).rejects.toBeInstanceOf(NotFoundError)
    const huge: TextStore = { ...store, size: async () => TEXT_MAX_BYTES + 1 }
    await expect(
      validateTextJob(input({ kind: 's3', bucket: 'data', key: 'texts/big.txt' }), huge, 'data'),
    ).rejects.toThrow(/limit/)
  })
})
