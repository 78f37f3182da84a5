import { describe, expect, it } from 'vitest'
import { formatDate, slugFromPath, srcset, subscribeMessage } from './format'

describe('page helpers', () => {
  it('formats dates in UTC and tolerates garbage', () => {
    expect(formatDate('2026-11-22T23:30:00.000Z')).toBe('November 22, 2026')
    expect(formatDate('nope')).toBe('')
  })

  it('reads the slug of a post URL only', () => {
    expect(slugFromPath('/posts/hello-world')).toBe('hello-world')
    expect(slugFromPath('/posts/hello-world/')).toBe('hello-world')
    expect(slugFromPath('/posts/Hello')).toBeUndefined()
    expect(slugFromPath('/post.html')).toBeUndefined()
  })

  it('builds a srcset smallest first', () => {
    expect(
      srcset([
        { width: 800, url: '/b.webp', contentType: 'image/webp' },
        { width: 256, url: '/a.webp', contentType: 'image/webp' },
      ]),
    ).toBe('/a.webp 256w, /b.webp 800w')
  })

  it('words every subscribe outcome for a reader', () => {
    expect(subscribeMessage({ ok: true, email: 'a@b.example' })).toContain('a@b.example')
    expect(subscribeMessage({ ok: false, status: 400 })).toMatch(/email address/)
    expect(subscribeMessage({ ok: false, status: 0 })).toMatch(/connection/)
    expect(subscribeMessage({ ok: false, status: 500 })).toMatch(/our side/)
  })
})
