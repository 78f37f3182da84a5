import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { displayNameSchema, NO_DISPLAY_NAME, newPost, revisePost, shownAuthor } from './index'

const isControl = (char: string) => {
  const code = char.charCodeAt(0)
  return code < 0x20 || code === 0x7f
}

describe('display names', () => {
  it.each(['Ada Lovelace', '  Grace Hopper ', 'José Ñúñez', '李小龍', 'R2-D2', 'x', 'a'.repeat(60)])(
    'accepts %j (trimmed)',
    (name) => {
      expect(displayNameSchema.parse(name)).toBe(name.trim())
    },
  )

  it.each([
    '',
    '   ',
    'a'.repeat(61),
    'ada@example.com',
    'Ada <ada@example.com>',
    'ada@localhost',
    '0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2c',
    'Ada\nLovelace',
    'Ada\tLovelace',
    'bell\u0007',
    'del\u007f',
  ])('refuses %j', (name) => {
    expect(displayNameSchema.safeParse(name).success).toBe(false)
  })

  it('never accepts anything longer than 60, email-shaped or with control characters, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (input) => {
        const parsed = displayNameSchema.safeParse(input)
        if (!parsed.success) return
        expect(parsed.data).toBe(input.trim())
        expect(parsed.data.length).toBeGreaterThanOrEqual(1)
        expect(parsed.data.length).toBeLessThanOrEqual(60)
        expect([...parsed.data].some(isControl)).toBe(false)
        expect(parsed.data).not.toMatch(/[^\s@]@[^\s@]/)
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses every email address fast-check makes, with or without a name around it', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.string({ maxLength: 10 }), (email, prefix) => {
        expect(displayNameSchema.safeParse(email).success).toBe(false)
        expect(displayNameSchema.safeParse(`${prefix} ${email}`).success).toBe(false)
      }),
    )
  })

  it('shows a stored name that is a display name, and the neutral fallback for anything else', () => {
    expect(shownAuthor('Ada Lovelace')).toBe('Ada Lovelace')
    for (const legacy of [undefined, '', 'demo@example.com', '0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2c'])
      expect(shownAuthor(legacy)).toBe(NO_DISPLAY_NAME)
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.uuid()), (username) => {
        expect(shownAuthor(username)).toBe(NO_DISPLAY_NAME)
      }),
    )
  })

  it("publishes under the given name, or the fallback, never the writer's username", () => {
    const writer = { sub: 's-1', username: 'ada@example.com', groups: ['authors'] }
    const content = { slug: 'a', title: 'T', summary: 'S', body: 'B', tags: [] }
    const now = new Date('2026-11-22T10:00:00.000Z')
    expect(newPost({ ...content, authorName: 'Ada' }, writer, now).author).toBe('Ada')
    const unnamed = newPost(content, writer, now)
    expect(unnamed.author).toBe(NO_DISPLAY_NAME)
    expect(JSON.stringify(unnamed)).not.toContain('ada@example.com')
    const edit = { title: 'T', summary: 'S', body: 'B', tags: [], version: 1 }
    expect(revisePost(unnamed, edit, now).author).toBe(NO_DISPLAY_NAME)
    expect(revisePost(unnamed, { ...edit, authorName: 'Ada L.' }, now).author).toBe('Ada L.')
  })
})
