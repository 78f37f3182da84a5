/**
 * The todo API end to end: HTTP through serverless-offline (API Gateway REST emulation, our Lambda
 * TOKEN authorizer verifying real cognito-local access tokens), Lambda handlers, DynamoDB Local and
 * s3rver. Each test signs up fresh users, so files and tests never see each other's data.
 */
import { localCloud } from '@app/local-cloud/testing'
import cognitoLocalKey from 'cognito-local/lib/keys/cognitoLocal.private.json' with { type: 'json' }
import { importJWK, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { type ApiResponse, createApi } from './api'
import { signUpAndSignIn, type TestUser } from './users'

const cloud = localCloud()
const api = createApi(String(cloud.endpoints.todoApi))

const expectProblem = (response: ApiResponse, status: number) => {
  expect(response.status, JSON.stringify(response.body)).toBe(status)
  expect(response.headers.get('content-type')).toMatch(/^application\/(problem\+)?json/)
}

let alice: TestUser
let bob: TestUser
beforeAll(async () => {
  ;[alice, bob] = await Promise.all([signUpAndSignIn(cloud), signUpAndSignIn(cloud)])
})

describe('authentication', () => {
  it('answers 401 without a token, with a garbage token, with a forged and with an id token', async () => {
    expect((await api('GET', '/todos')).status).toBe(401)
    expect((await api('GET', '/todos', { token: 'not-a-jwt' })).status).toBe(401)
    const [header, payload] = alice.accessToken.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const tampered = Buffer.from(JSON.stringify({ ...claims, sub: bob.sub })).toString('base64url')
    expect(
      (await api('GET', '/todos', { token: `${header}.${tampered}.${alice.accessToken.split('.')[2]}` }))
        .status,
    ).toBe(401)
    expect((await api('GET', '/todos', { token: alice.idToken })).status).toBe(401)
  })

  it("answers 401 for an expired token signed with the pool's own key", async () => {
    // cognito-local signs every token with the key pair shipped in its package; signing with it
    // here yields a token identical to one of its own, except that it expired a minute ago.
    const claims = JSON.parse(Buffer.from(alice.accessToken.split('.')[1]!, 'base64url').toString())
    const now = Math.floor(Date.now() / 1000)
    const key = await importJWK(cognitoLocalKey.jwk, 'RS256')
    const sign = (exp: number) =>
      new SignJWT({ ...claims, iat: exp - 3600, exp })
        .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
        .sign(key)
    expect((await api('GET', '/todos', { token: await sign(now + 600) })).status).toBe(200)
    expect((await api('GET', '/todos', { token: await sign(now - 60) })).status).toBe(401)
  })

  it('serves the OpenAPI document without a token', async () => {
    const response = await api('GET', '/openapi.json')
    expect(response.status).toBe(200)
    expect(response.body.openapi).toBe('3.1.0')
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/todos', '/todos/{id}', '/files', '/files/links']),
    )
  })
})

describe('todos', () => {
  it('creates, reads (ETag/304), updates with If-Match (412 stale, 428 missing), deletes', async () => {
    const created = await api('POST', '/todos', { token: alice.accessToken, body: { title: '  Buy milk ' } })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ title: 'Buy milk', status: 'open', version: 1 })
    const id = created.body.id as string
    expect(created.headers.get('location')).toBe(`/todos/${id}`)

    const read = await api('GET', `/todos/${id}`, { token: alice.accessToken })
    expect(read.status).toBe(200)
    expect(read.body).toEqual(created.body)
    const etag = read.headers.get('etag')!
    expect(etag).toBe(created.headers.get('etag'))
    expect(read.headers.get('cache-control')).toContain('private')
    const notModified = await api('GET', `/todos/${id}`, {
      token: alice.accessToken,
      headers: { 'if-none-match': etag },
    })
    expect(notModified.status).toBe(304)

    expectProblem(
      await api('PATCH', `/todos/${id}`, { token: alice.accessToken, body: { status: 'done' } }),
      428,
    )
    const updated = await api('PATCH', `/todos/${id}`, {
      token: alice.accessToken,
      body: { status: 'done' },
      headers: { 'if-match': etag },
    })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ status: 'done', version: 2 })
    const stale = await api('PATCH', `/todos/${id}`, {
      token: alice.accessToken,
      body: { title: 'Lost update' },
      headers: { 'if-match': etag },
    })
    expectProblem(stale, 412)
    expect((await api('GET', `/todos/${id}`, { token: alice.accessToken })).body.title).toBe('Buy milk')

    expect((await api('DELETE', `/todos/${id}`, { token: alice.accessToken })).status).toBe(204)
    expectProblem(await api('GET', `/todos/${id}`, { token: alice.accessToken }), 404)
    expectProblem(await api('DELETE', `/todos/${id}`, { token: alice.accessToken }), 404)
  })

  it('paginates newest first across pages, with a status filter, and rejects a tampered cursor', async () => {
    const user = await signUpAndSignIn(cloud)
    const ids: string[] = []
    for (let index = 0; index < 7; index++) {
      const response = await api('POST', '/todos', {
        token: user.accessToken,
        body: { title: `todo ${index}`, status: index % 2 ? 'done' : 'open' },
      })
      ids.push(response.body.id)
    }
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3'
      const page = await api('GET', `/todos${query}`, { token: user.accessToken })
      expect(page.status).toBe(200)
      seen.push(...page.body.items.map((todo: { id: string }) => todo.id))
      cursor = page.body.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual([...ids].reverse())

    const done = await api('GET', '/todos?status=done&limit=2', { token: user.accessToken })
    expect(done.body.items.map((todo: { id: string }) => todo.id)).toEqual([ids[5], ids[3]])
    const rest = await api(
      'GET',
      `/todos?status=done&limit=2&cursor=${encodeURIComponent(done.body.nextCursor)}`,
      {
        token: user.accessToken,
      },
    )
    expect(rest.body.items.map((todo: { id: string }) => todo.id)).toEqual([ids[1]])
    expect(rest.body.nextCursor).toBeUndefined()

    // The cursor is bound to its user and filter: another filter or another user cannot use it.
    const cursorForDone = encodeURIComponent(done.body.nextCursor)
    expectProblem(
      await api('GET', `/todos?status=open&cursor=${cursorForDone}`, { token: user.accessToken }),
      400,
    )
    expectProblem(
      await api('GET', `/todos?status=done&cursor=${cursorForDone}`, { token: alice.accessToken }),
      400,
    )
    expectProblem(
      await api('GET', '/todos?cursor=eyJQSyI6IlVTRVIjeCJ9.AAAA', { token: user.accessToken }),
      400,
    )
    expectProblem(await api('GET', '/todos?limit=101', { token: user.accessToken }), 400)
  })

  it('honours Idempotency-Key: same body -> same todo, different body -> 422, scoped per user', async () => {
    const key = `key-${crypto.randomUUID()}`
    const body = { title: 'Pay rent' }
    const first = await api('POST', '/todos', {
      token: alice.accessToken,
      body,
      headers: { 'idempotency-key': key },
    })
    const again = await api('POST', '/todos', {
      token: alice.accessToken,
      body,
      headers: { 'idempotency-key': key },
    })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.body).toEqual(first.body)
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'))
    const other = await api('POST', '/todos', {
      token: alice.accessToken,
      body: { title: 'Pay rent twice' },
      headers: { 'idempotency-key': key },
    })
    expectProblem(other, 422)
    // Bob choosing the same key gets his own todo, not Alice's response.
    const bobs = await api('POST', '/todos', {
      token: bob.accessToken,
      body,
      headers: { 'idempotency-key': key },
    })
    expect(bobs.status).toBe(201)
    expect(bobs.body.id).not.toBe(first.body.id)
    const list = await api('GET', '/todos?limit=100', { token: alice.accessToken })
    expect(list.body.items.filter((todo: { title: string }) => todo.title === 'Pay rent')).toHaveLength(1)
  })

  it('never lets another user read, change or delete a todo: 404 on every route', async () => {
    const mine = await api('POST', '/todos', { token: alice.accessToken, body: { title: 'Private' } })
    const id = mine.body.id as string
    const etag = mine.headers.get('etag')!
    expectProblem(await api('GET', `/todos/${id}`, { token: bob.accessToken }), 404)
    expectProblem(
      await api('PATCH', `/todos/${id}`, {
        token: bob.accessToken,
        body: { title: 'Mine now' },
        headers: { 'if-match': etag },
      }),
      404,
    )
    expectProblem(
      await api('PATCH', `/todos/${id}`, {
        token: bob.accessToken,
        body: { title: 'x' },
        headers: { 'if-match': '*' },
      }),
      404,
    )
    expectProblem(await api('DELETE', `/todos/${id}`, { token: bob.accessToken }), 404)
    expectProblem(
      await api('DELETE', `/todos/${id}`, { token: bob.accessToken, headers: { 'if-match': etag } }),
      404,
    )
    const bobsList = await api('GET', '/todos?limit=100', { token: bob.accessToken })
    expect(bobsList.body.items.map((todo: { id: string }) => todo.id)).not.toContain(id)
    const still = await api('GET', `/todos/${id}`, { token: alice.accessToken })
    expect(still.body).toEqual(mine.body)
  })

  it('answers malformed input with precise problems and stores nothing', async () => {
    const user = await signUpAndSignIn(cloud)
    const bad = [
      await api('POST', '/todos', {
        token: user.accessToken,
        rawBody: '{"title":',
        headers: { 'content-type': 'application/json' },
      }),
      await api('POST', '/todos', { token: user.accessToken, body: { title: 42 } }),
      await api('POST', '/todos', { token: user.accessToken, body: { title: 'x', admin: true } }),
      await api('POST', '/todos', { token: user.accessToken, body: { title: 'x'.repeat(20_000) } }),
      await api('POST', '/todos', {
        token: user.accessToken,
        rawBody: 'title=x',
        headers: { 'content-type': 'text/plain' },
      }),
    ]
    expect(bad.map((response) => response.status)).toEqual([400, 400, 400, 413, 415])
    for (const response of bad) expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(bad[2]!.body.errors[0].pointer).toBe('/body')
    expect((await api('GET', '/todos', { token: user.accessToken })).body.items).toEqual([])
  })
})

describe('files', () => {
  it('uploads and downloads through presigned URLs, lists, deletes; other users get 404', async () => {
    const content = 'hello from the e2e test'
    const link = await api('POST', '/files/links', {
      token: alice.accessToken,
      body: {
        operation: 'upload',
        name: 'note.txt',
        contentType: 'text/plain',
        size: Buffer.byteLength(content),
      },
    })
    expect(link.status).toBe(201)
    expect(link.body.method).toBe('PUT')
    expect(new URL(link.body.url).pathname).toContain(`/private/${alice.sub}/note.txt`)
    expect(new URL(link.body.url).searchParams.get('X-Amz-SignedHeaders')).toContain('content-length')
    const put = await fetch(link.body.url, { method: 'PUT', headers: link.body.headers, body: content })
    expect(put.status).toBe(200)

    const listed = await api('GET', '/files', { token: alice.accessToken })
    expect(listed.body.items).toEqual([
      expect.objectContaining({ name: 'note.txt', size: Buffer.byteLength(content) }),
    ])
    expect((await api('GET', '/files', { token: bob.accessToken })).body.items).toEqual([])

    const download = await api('POST', '/files/links', {
      token: alice.accessToken,
      body: { operation: 'download', name: 'note.txt' },
    })
    expect(download.status).toBe(201)
    expect(await (await fetch(download.body.url)).text()).toBe(content)

    expectProblem(
      await api('POST', '/files/links', {
        token: bob.accessToken,
        body: { operation: 'download', name: 'note.txt' },
      }),
      404,
    )
    expectProblem(
      await api('POST', '/files/links', {
        token: bob.accessToken,
        body: { operation: 'delete', name: 'note.txt' },
      }),
      404,
    )
    expectProblem(
      await api('POST', '/files/links', {
        token: alice.accessToken,
        body: { operation: 'upload', name: '../escape.txt', contentType: 'text/plain', size: 1 },
      }),
      400,
    )
    expectProblem(
      await api('POST', '/files/links', {
        token: alice.accessToken,
        body: { operation: 'upload', name: 'page.html', contentType: 'text/html', size: 1 },
      }),
      400,
    )

    const remove = await api('POST', '/files/links', {
      token: alice.accessToken,
      body: { operation: 'delete', name: 'note.txt' },
    })
    expect(remove.body.method).toBe('DELETE')
    expect((await fetch(remove.body.url, { method: 'DELETE' })).status).toBe(204)
    expect((await api('GET', '/files', { token: alice.accessToken })).body.items).toEqual([])
  })
})
