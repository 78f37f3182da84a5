import { describe, expect, it } from 'vitest'
import { claimsOf, photoFailureText, refusalText, slugify } from './format'

const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.signature`

describe('studio helpers', () => {
  it('suggests a slug the API accepts from any title', () => {
    expect(slugify('Hello, World!')).toBe('hello-world')
    expect(slugify('  Crème brûlée — à la carte  ')).toBe('creme-brulee-a-la-carte')
    expect(slugify('***')).toBe('')
    expect(slugify('a'.repeat(79) + ' b')).toMatch(/^a{79}$/)
  })

  it("reads the token's sub and groups for display", () => {
    expect(claimsOf(jwt({ sub: 'u-1', 'cognito:groups': ['authors'], exp: 5 }))).toEqual({
      sub: 'u-1',
      groups: ['authors'],
      exp: 5,
    })
    expect(claimsOf(jwt({ sub: 'u-2' })).groups).toEqual([])
    expect(() => claimsOf('nope')).toThrow()
  })

  it("says why a photo failed in the thumbnailer's words, or by its code", () => {
    expect(photoFailureText('corrupt', 'The file is damaged and could not be read.')).toBe(
      'The file is damaged and could not be read.',
    )
    expect(photoFailureText('too-large')).toBe('The photo could not be processed (too-large).')
    expect(photoFailureText('<b>')).toBe('The photo could not be processed (b).')
  })

  it("turns the API's refusals into words, naming the authors group on a 403", () => {
    expect(refusalText(403, 'Only members of the "authors" group may do this')).toContain('authors group')
    expect(refusalText(409)).toContain('slug exists')
    expect(refusalText(412)).toContain('changed elsewhere')
    expect(refusalText(0)).toContain('could not reach')
  })
})
