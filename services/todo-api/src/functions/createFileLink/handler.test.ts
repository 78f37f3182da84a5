import { describe, expect, it } from 'vitest'
import { fakeFileStore } from '../../testing/fakes'
import { invoke } from '../../testing/invoke'
import { createFileLinkRoute } from './route'

describe('POST /files/links', () => {
  const files = fakeFileStore({ 'private/alice/report.pdf': 10 })
  const handler = createFileLinkRoute({ files }, { maxUploadBytes: 1000 })
  const link = (json: unknown, sub = 'alice') =>
    invoke(handler, { method: 'POST', path: '/files/links', sub, json })

  it("signs uploads inside the caller's folder with the signed headers, never cached", async () => {
    const response = await link({
      operation: 'upload',
      name: 'photo.png',
      contentType: 'image/png',
      size: 1000,
    })
    expect(response.status).toBe(201)
    expect(response.body).toMatchObject({
      method: 'PUT',
      headers: { 'content-type': 'image/png', 'content-length': '1000' },
    })
    expect(response.body.url).toContain('private/alice/photo.png')
    expect(response.headers['cache-control']).toBe('no-store')
  })

  it('refuses oversize, disallowed types and names that could leave the folder', async () => {
    for (const body of [
      { operation: 'upload', name: 'big.png', contentType: 'image/png', size: 1001 },
      { operation: 'upload', name: 'page.html', contentType: 'text/html', size: 1 },
      { operation: 'upload', name: '../bob/x.png', contentType: 'image/png', size: 1 },
      { operation: 'upload', name: '.hidden', contentType: 'image/png', size: 1 },
      { operation: 'download', name: 'a/b.pdf' },
      { operation: 'rename', name: 'report.pdf' },
    ])
      expect((await link(body)).status, JSON.stringify(body)).toBe(400)
  })

  it('signs download/delete only for an existing file of the caller: 404 otherwise', async () => {
    expect((await link({ operation: 'download', name: 'report.pdf' })).body.method).toBe('GET')
    expect((await link({ operation: 'delete', name: 'report.pdf' })).body.method).toBe('DELETE')
    expect((await link({ operation: 'download', name: 'report.pdf' }, 'bob')).status).toBe(404)
    expect((await link({ operation: 'delete', name: 'missing.pdf' })).status).toBe(404)
  })
})
