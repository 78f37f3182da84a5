import { describe, expect, it } from 'vitest'
import { ForbiddenError, UnsupportedMediaTypeError, ValidationError } from '../errors'
import {
  assertAuthor,
  assertAuthorOrEditor,
  assertMayRevise,
  checkPhotoUpload,
  createPostRequestSchema,
  isPublication,
  isVisiblePhoto,
  NO_DISPLAY_NAME,
  newPost,
  PUBLISHED_FEED,
  photoKey,
  photoKeySchema,
  revisePost,
  slugSchema,
} from './index'

const now = new Date('2026-11-22T10:00:00.000Z')
const author = { sub: 's-1', username: 'ada', groups: ['authors'] }

describe('posts', () => {
  it.each(['hello', 'hello-world', '2026-roundup'])('accepts the slug %s', (slug) => {
    expect(slugSchema.parse(slug)).toBe(slug)
  })
  it.each(['Hello', 'a--b', '-a', 'a-', 'a b', 'a/b', '', 'a'.repeat(81)])('rejects the slug %j', (slug) => {
    expect(slugSchema.safeParse(slug).success).toBe(false)
  })

  it('trims text, defaults tags and refuses control characters', () => {
    const parsed = createPostRequestSchema.parse({
      slug: 'a',
      title: ' T ',
      summary: '',
      body: 'line\n\nline\ttab',
    })
    expect(parsed).toEqual({ slug: 'a', title: 'T', summary: '', body: 'line\n\nline\ttab', tags: [] })
    expect(
      createPostRequestSchema.safeParse({ slug: 'a', title: 'T\u0000', summary: '', body: 'b' }).success,
    ).toBe(false)
  })

  it('lets only the authors group write', () => {
    expect(() => assertAuthor(author)).not.toThrow()
    expect(() => assertAuthor({ sub: 's-2', groups: ['readers'] })).toThrow(ForbiddenError)
  })

  it("lets a post's author (still in authors) or an editor revise it, nobody else", () => {
    const post = newPost({ slug: 'a', title: 'T', summary: 'S', body: 'B', tags: [] }, author, now)
    expect(post.authorSub).toBe('s-1')
    expect(() => assertMayRevise(post, author)).not.toThrow()
    expect(() => assertMayRevise(post, { sub: 's-9', groups: ['editors'] })).not.toThrow()
    for (const other of [
      { sub: 's-2', groups: ['authors'] },
      { sub: 's-1', groups: [] },
      { sub: 's-2', groups: ['authors,editors'] },
    ])
      expect(() => assertMayRevise(post, other), JSON.stringify(other)).toThrow(ForbiddenError)
    const { authorSub: _owner, ...unowned } = post
    expect(() => assertMayRevise(unowned, author)).toThrow(ForbiddenError)
    expect(() => assertAuthorOrEditor({ sub: 's-3', groups: ['editors'] })).not.toThrow()
    expect(() => assertAuthorOrEditor({ sub: 's-3', groups: ['authors,editors'] })).toThrow(ForbiddenError)
  })

  it('publishes at version 1 and bumps the version on each revision, keeping publishedAt', () => {
    const post = newPost({ slug: 'a', title: 'T', summary: 'S', body: 'B', tags: [] }, author, now)
    expect(post).toMatchObject({ author: NO_DISPLAY_NAME, version: 1, publishedAt: now.toISOString() })
    const later = new Date('2026-11-23T10:00:00.000Z')
    const revised = revisePost(
      post,
      { title: 'T2', summary: 'S', body: 'B2', tags: ['x'], version: 1 },
      later,
    )
    expect(revised).toMatchObject({
      title: 'T2',
      version: 2,
      publishedAt: post.publishedAt,
      updatedAt: later.toISOString(),
    })
  })
})

describe('photos', () => {
  it('maps allowed image types to extensions, case-insensitively', () => {
    expect(checkPhotoUpload({ contentType: 'Image/JPEG', contentLength: 1 })).toEqual({
      contentType: 'image/jpeg',
      extension: 'jpg',
    })
  })

  it('refuses SVG and non-images (415) and oversized files (400)', () => {
    expect(() => checkPhotoUpload({ contentType: 'image/svg+xml', contentLength: 1 })).toThrow(
      UnsupportedMediaTypeError,
    )
    expect(() => checkPhotoUpload({ contentType: 'application/pdf', contentLength: 1 })).toThrow(
      UnsupportedMediaTypeError,
    )
    expect(() => checkPhotoUpload({ contentType: 'image/png', contentLength: 11 }, 10)).toThrow(
      ValidationError,
    )
  })

  it('lays keys out as photos/<slug>/<uuid>.<ext>', () => {
    const key = photoKey('hello', '0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2c', 'webp')
    expect(key).toBe('photos/hello/0b6f3a52-7a5e-4c8e-9a53-1d0c8f0a1b2c.webp')
    expect(photoKeySchema.parse(key)).toBe(key)
  })

  it('shows ready photos and pending ones younger than an hour', () => {
    const base = { photoKey: 'k', postSlug: 'a', contentType: 'image/png' }
    expect(isVisiblePhoto({ ...base, status: 'ready', uploadedAt: '2020-01-01T00:00:00.000Z' }, now)).toBe(
      true,
    )
    expect(isVisiblePhoto({ ...base, status: 'pending', uploadedAt: '2026-11-22T09:30:00.000Z' }, now)).toBe(
      true,
    )
    expect(isVisiblePhoto({ ...base, status: 'pending', uploadedAt: '2026-11-22T08:59:00.000Z' }, now)).toBe(
      false,
    )
    expect(isVisiblePhoto({ ...base, status: 'failed', uploadedAt: '2026-11-22T09:59:00.000Z' }, now)).toBe(
      false,
    )
  })
})

describe('isPublication', () => {
  const published = { feed: PUBLISHED_FEED }
  it('is a publication when the item gains the published feed (created, or a draft published)', () => {
    expect(isPublication(undefined, published)).toBe(true)
    expect(isPublication({}, published)).toBe(true)
    expect(isPublication({ feed: 'drafts' }, published)).toBe(true)
  })

  it('is none for an edit of a published post, an item without the feed, or a removal', () => {
    expect(isPublication(published, { ...published })).toBe(false)
    expect(isPublication(undefined, {})).toBe(false)
    expect(isPublication(undefined, { feed: 'drafts' })).toBe(false)
    expect(isPublication(published, undefined)).toBe(false)
  })
})
