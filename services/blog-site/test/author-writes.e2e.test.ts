import { createPoolGroup, localCloud, signUpAndSignIn } from '@app/local-cloud/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { unique } from './stand-ins'

/**
 * Author writes over HTTP, as a browser sends them: real cognito-local access tokens in
 * `Authorization`, through serverless-offline and the API's real TOKEN authorizer (signature via
 * the pool's JWKS), to the deployed handlers. No principal is injected: no token or a tampered one
 * is a 401, a reader's token a 403, an author's (member of `authors`) a 201/200.
 */
const cloud = localCloud()
const api = cloud.endpoints.blogApi as string
let reader: string
let author: string
let otherAuthor: string
let editor: string
let commaGroup: string

const send = async (method: string, path: string, token: string | undefined, body: unknown) => {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text }
}

beforeAll(async () => {
  reader = (await signUpAndSignIn(cloud, 'reader')).accessToken
  author = (await signUpAndSignIn(cloud, 'author', ['authors'])).accessToken
  otherAuthor = (await signUpAndSignIn(cloud, 'other-author', ['authors'])).accessToken
  editor = (await signUpAndSignIn(cloud, 'editor', ['editors'])).accessToken
  // One group whose name would have split into both roles when groups travelled comma-joined.
  await createPoolGroup(cloud, 'authors,editors')
  commaGroup = (await signUpAndSignIn(cloud, 'comma', ['authors,editors'])).accessToken
})

const content = { title: 'Written over HTTP', summary: 'By a real author', body: 'A paragraph.' }

describe('author writes through the real authorizer', () => {
  it('POST /api/posts: 401 without a token, 403 for a reader, 201 for an author', async () => {
    const slug = unique('http-post')
    expect((await send('POST', '/api/posts', undefined, { ...content, slug })).status).toBe(401)
    expect((await send('POST', '/api/posts', `${author}x`, { ...content, slug })).status).toBe(401)
    const asReader = await send('POST', '/api/posts', reader, { ...content, slug })
    expect(asReader.status, asReader.text).toBe(403)
    expect((await send('GET', `/api/posts/${slug}`, undefined, undefined)).status).toBe(404)
    const created = await send('POST', '/api/posts', author, { ...content, slug })
    expect(created.status, created.text).toBe(201)
    expect(created.body).toMatchObject({ ...content, slug, version: 1 })
  })

  it('PUT /api/posts/{slug}: 401 without a token, 403 for a reader, 200 for an author', async () => {
    const slug = unique('http-put')
    expect((await send('POST', '/api/posts', author, { ...content, slug })).status).toBe(201)
    const edit = { ...content, title: 'Edited over HTTP', version: 1 }
    expect((await send('PUT', `/api/posts/${slug}`, undefined, edit)).status).toBe(401)
    expect((await send('PUT', `/api/posts/${slug}`, `${author}x`, edit)).status).toBe(401)
    expect((await send('PUT', `/api/posts/${slug}`, reader, edit)).status).toBe(403)
    const updated = await send('PUT', `/api/posts/${slug}`, author, edit)
    expect(updated.status, updated.text).toBe(200)
    expect(updated.body).toMatchObject({ title: 'Edited over HTTP', version: 2 })
  })

  it('POST /api/posts/{slug}/photos: 401 without a token, 403 for a reader, 201 with an upload URL for an author', async () => {
    const slug = unique('http-photo')
    expect((await send('POST', '/api/posts', author, { ...content, slug })).status).toBe(201)
    const photo = { contentType: 'image/jpeg', contentLength: 1234 }
    expect((await send('POST', `/api/posts/${slug}/photos`, undefined, photo)).status).toBe(401)
    expect((await send('POST', `/api/posts/${slug}/photos`, `${author}x`, photo)).status).toBe(401)
    expect((await send('POST', `/api/posts/${slug}/photos`, reader, photo)).status).toBe(403)
    const ticket = await send('POST', `/api/posts/${slug}/photos`, author, photo)
    expect(ticket.status, ticket.text).toBe(201)
    expect(ticket.body.photoKey).toMatch(new RegExp(`^photos/${slug}/[0-9a-f-]{36}\\.jpg$`))
    expect(ticket.body.upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/jpeg' } })
  })

  it("lets only the post's author or an editor change it: another author and a group named 'authors,editors' get 403", async () => {
    const slug = unique('http-owned')
    const created = await send('POST', '/api/posts', author, { ...content, slug })
    expect(created.status, created.text).toBe(201)
    const edit = (version: number) => ({ ...content, title: `Edit ${version}`, version })
    const photo = { contentType: 'image/png', contentLength: 99 }
    for (const [who, token] of [
      ['another author', otherAuthor],
      ['authors,editors', commaGroup],
    ] as const) {
      const put = await send('PUT', `/api/posts/${slug}`, token, edit(1))
      expect(put.status, `${who}: ${put.text}`).toBe(403)
      expect(put.body).toMatchObject({ status: 403, type: expect.stringMatching(/^\/problems\//) })
      expect((await send('POST', `/api/posts/${slug}/photos`, token, photo)).status, who).toBe(403)
    }
    expect((await send('POST', '/api/posts', commaGroup, { ...content, slug: unique('comma') })).status).toBe(
      403,
    )
    const own = await send('PUT', `/api/posts/${slug}`, author, edit(1))
    expect(own.status, own.text).toBe(200)
    const byEditor = await send('PUT', `/api/posts/${slug}`, editor, edit(2))
    expect(byEditor.status, byEditor.text).toBe(200)
    expect(byEditor.body).toMatchObject({ title: 'Edit 2', version: 3, author: created.body.author })
    expect((await send('POST', `/api/posts/${slug}/photos`, editor, photo)).status).toBe(201)
  })
})
