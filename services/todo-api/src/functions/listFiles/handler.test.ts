import { createCursorCodec } from '@app/runtime/http'
import { describe, expect, it } from 'vitest'
import { fakeFileStore } from '../../testing/fakes'
import { invoke } from '../../testing/invoke'
import { listFilesRoute } from './route'

describe('GET /files', () => {
  const files = fakeFileStore({
    'private/alice/a.txt': 1,
    'private/alice/b.txt': 2,
    'private/alice/c.txt': 3,
    'private/bob/z.txt': 9,
  })
  const handler = listFilesRoute({ files, cursors: createCursorCodec('c'.repeat(32)) })
  const list = (query: Record<string, string> | null, sub = 'alice') =>
    invoke(handler, { method: 'GET', path: '/files', sub, query })

  it("pages through the caller's folder only, with names relative to it", async () => {
    const first = await list({ limit: '2' })
    expect(first.body.items.map((item: { name: string }) => item.name)).toEqual(['a.txt', 'b.txt'])
    const second = await list({ limit: '2', cursor: first.body.nextCursor })
    expect(second.body).toEqual({
      items: [{ name: 'c.txt', size: 3, lastModified: '1970-01-01T00:00:00.000Z' }],
    })
    expect((await list({ cursor: first.body.nextCursor }, 'bob')).status).toBe(400)
    expect((await list(null, 'bob')).body.items.map((item: { name: string }) => item.name)).toEqual(['z.txt'])
  })
})
