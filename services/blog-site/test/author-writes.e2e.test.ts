import { localCloud, signUpAndSignIn } from '@app/local-cloud/testing'
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
})
