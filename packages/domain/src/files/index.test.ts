import { describe, expect, it } from 'vitest'
import { fileKey, fileLinkRequestSchema, fileNameSchema, folderOf } from './index'

describe('fileNameSchema', () => {
  it('accepts flat, plain names', () => {
    for (const name of ['a', 'photo.png', 'receipt-2026_11.pdf', `A${'b'.repeat(199)}`])
      expect(fileNameSchema.safeParse(name).success, name).toBe(true)
  })
  it('refuses anything that could leave the folder or surprise a client', () => {
    for (const name of [
      '',
      '.hidden',
      '..',
      'a..b',
      'a/b',
      '../x',
      'a\\b',
      'spa ce',
      'ü.txt',
      `a${'b'.repeat(200)}`,
      '%2e%2e',
    ])
      expect(fileNameSchema.safeParse(name).success, name).toBe(false)
  })
})

describe('folderOf and fileKey', () => {
  it('puts every key under private/<sub>/', () => {
    expect(folderOf('3b9f-aa')).toBe('private/3b9f-aa/')
    expect(fileKey('us-east-1:3b9f', 'a.txt')).toBe('private/us-east-1:3b9f/a.txt')
  })
  it('refuses a sub that is not an id', () => {
    for (const sub of ['', 'a/b', '../x', 'a b']) expect(() => folderOf(sub), sub).toThrow()
  })
})

describe('fileLinkRequestSchema', () => {
  const schema = fileLinkRequestSchema(1000)
  it('needs type and size for uploads, within the limit', () => {
    expect(
      schema.safeParse({ operation: 'upload', name: 'a.png', contentType: 'image/png', size: 1000 }).success,
    ).toBe(true)
    expect(
      schema.safeParse({ operation: 'upload', name: 'a.png', contentType: 'image/png', size: 1001 }).success,
    ).toBe(false)
    expect(
      schema.safeParse({ operation: 'upload', name: 'a.png', contentType: 'image/png', size: 0 }).success,
    ).toBe(false)
    expect(
      schema.safeParse({ operation: 'upload', name: 'a.png', contentType: 'image/png', size: 1.5 }).success,
    ).toBe(false)
    expect(
      schema.safeParse({ operation: 'upload', name: 'a.svg', contentType: 'image/svg+xml', size: 10 })
        .success,
    ).toBe(false)
    expect(schema.safeParse({ operation: 'upload', name: 'a.png', size: 10 }).success).toBe(false)
  })
  it('takes only a name for download and delete', () => {
    expect(schema.safeParse({ operation: 'download', name: 'a.png' }).success).toBe(true)
    expect(schema.safeParse({ operation: 'delete', name: 'a.png', size: 1 }).success).toBe(false)
    expect(schema.safeParse({ operation: 'move', name: 'a.png' }).success).toBe(false)
  })
})
