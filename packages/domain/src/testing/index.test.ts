import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fileLinkRequestSchema } from '../files'
import {
  createPostRequestSchema,
  listPostsQuerySchema,
  photoUploadRequestSchema,
  updatePostRequestSchema,
} from '../posts'
import { subscribeRequestSchema, unsubscribeRequestSchema } from '../subscribers'
import { newTodoSchema, todoPatchSchema } from '../todos'
import { nearMiss, validInput } from './index'

const schemas = {
  createPostRequestSchema,
  updatePostRequestSchema,
  listPostsQuerySchema,
  photoUploadRequestSchema,
  subscribeRequestSchema,
  unsubscribeRequestSchema,
  newTodoSchema,
  todoPatchSchema,
  fileLinkRequestSchema: fileLinkRequestSchema(1024),
}

describe.each(Object.entries(schemas))('arbitraries of %s', (_name, schema) => {
  it('generates only values the schema accepts, and not the same few', () => {
    const samples = fc.sample(validInput(schema), { numRuns: 200, seed: 1 })
    for (const sample of samples) expect(schema.safeParse(sample).success, JSON.stringify(sample)).toBe(true)
    expect(new Set(samples.map((sample) => JSON.stringify(sample))).size).toBeGreaterThan(100)
  })

  it('mutates valid values into mostly invalid ones', () => {
    const samples = fc.sample(nearMiss(schema), { numRuns: 200, seed: 2 })
    const invalid = samples.filter((sample) => !schema.safeParse(sample).success).length
    expect(invalid).toBeGreaterThan(100)
  })
})
