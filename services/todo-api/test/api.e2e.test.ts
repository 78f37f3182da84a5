/**
 * The todo API end to end: HTTP through serverless-offline (API Gateway REST emulation, our Lambda
 * TOKEN authorizer verifying real cognito-local access tokens), Lambda handlers, DynamoDB Local and
 * s3rver. Each test signs up fresh users, so files and tests never see each other's data.
 * Requests go through the typed client (`@app/clients`), every answer checked against the API's
 * OpenAPI document (`validateResponses`); raw `api()` calls remain only for what the document does
 * not describe or a typed client cannot send: malformed JSON, wrong types, unknown fields, another
 * content type (of the body or of a file), a PATCH without its required If-Match, and the document itself.
 */
import { localCloud } from '@app/local-cloud/testing'
import cognitoLocalKey from 'cognito-local/lib/keys/cognitoLocal.private.json' with { type: 'json' }
import { importJWK, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { type ApiResponse, answer, createApi, typedClient } from './api'
import { signUpAndSignIn, type TestUser } from './users'

const cloud = localCloud()
const api = createApi(String(cloud.endpoints.todoApi))
const as = typedClient(String(cloud.endpoints.todoApi))
const path = (id: string) => ({ path: { id } })

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
    expect((await answer(as().GET('/todos'))).status).toBe(401)
    expect((await answer(as('not-a-jwt').GET('/todos'))).status).toBe(401)
    const [header, payload] = alice.accessToken.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    const tampered = Buffer.from(JSON.stringify({ ...claims, sub: bob.sub })).toString('base64url')
    expect(
      (await answer(as(`${header}.${tampered}.${alice.accessToken.split('.')[2]}`).GET('/todos'))).status,
    ).toBe(401)
    expect((await answer(as(alice.idToken).GET('/todos'))).status).toBe(401)
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
    expect((await answer(as(await sign(now + 600)).GET('/todos'))).status).toBe(200)
    expect((await answer(as(await sign(now - 60)).GET('/todos'))).status).toBe(401)
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
    const created = await answer(as(alice.accessToken).POST('/todos', { body: { title: '  Buy milk ' } }))
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ title: 'Buy milk', status: 'open', version: 1 })
    const id = created.body.id as string
    expect(created.headers.get('location')).toBe(`/todos/${id}`)

    const read = await answer(as(alice.accessToken).GET('/todos/{id}', { params: path(id) }))
    expect(read.status).toBe(200)
    expect(read.body).toEqual(created.body)
    const etag = read.headers.get('etag')!
    expect(etag).toBe(created.headers.get('etag'))
    expect(read.headers.get('cache-control')).toContain('private')
    const notModified = await answer(
      as(alice.accessToken).GET('/todos/{id}', {
        params: { ...path(id), header: { 'If-None-Match': etag } },
      }),
    )
    expect(notModified.status).toBe(304)

    expectProblem(
      await api('PATCH', `/todos/${id}`, { token: alice.accessToken, body: { status: 'done' } }),
      428,
    )
    const updated = await answer(
      as(alice.accessToken).PATCH('/todos/{id}', {
        params: { ...path(id), header: { 'If-Match': etag } },
        body: { status: 'done' },
      }),
    )
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ status: 'done', version: 2 })
    const stale = await answer(
      as(alice.accessToken).PATCH('/todos/{id}', {
        params: { ...path(id), header: { 'If-Match': etag } },
        body: { title: 'Lost update' },
      }),
    )
    expectProblem(stale, 412)
    expect((await answer(as(alice.accessToken).GET('/todos/{id}', { params: path(id) }))).body.title).toBe(
      'Buy milk',
    )

    expect((await answer(as(alice.accessToken).DELETE('/todos/{id}', { params: path(id) }))).status).toBe(204)
    expectProblem(await answer(as(alice.accessToken).GET('/todos/{id}', { params: path(id) })), 404)
    expectProblem(await answer(as(alice.accessToken).DELETE('/todos/{id}', { params: path(id) })), 404)
  })

  it('paginates newest first across pages, with a status filter, and rejects a tampered cursor', async () => {
    const user = await signUpAndSignIn(cloud)
    const ids: string[] = []
    for (let index = 0; index < 7; index++) {
      const response = await answer(
        as(user.accessToken).POST('/todos', {
          body: { title: `todo ${index}`, status: index % 2 ? 'done' : 'open' },
        }),
      )
      ids.push(response.body.id)
    }
    const seen: string[] = []
    let cursor: string | undefined
    let pages = 0
    do {
      const query = { limit: '3', ...(cursor ? { cursor } : {}) }
      const page = await answer(as(user.accessToken).GET('/todos', { params: { query } }))
      expect(page.status).toBe(200)
      seen.push(...page.body.items.map((todo: { id: string }) => todo.id))
      cursor = page.body.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual([...ids].reverse())

    const list = (token: string, query: { status?: 'open' | 'done'; limit?: string; cursor?: string }) =>
      answer(as(token).GET('/todos', { params: { query } }))
    const done = await list(user.accessToken, { status: 'done', limit: '2' })
    expect(done.body.items.map((todo: { id: string }) => todo.id)).toEqual([ids[5], ids[3]])
    const rest = await list(user.accessToken, { status: 'done', limit: '2', cursor: done.body.nextCursor })
    expect(rest.body.items.map((todo: { id: string }) => todo.id)).toEqual([ids[1]])
    expect(rest.body.nextCursor).toBeUndefined()

    // The cursor is bound to its user and filter: another filter or another user cannot use it.
    const cursorForDone = done.body.nextCursor
    expectProblem(await list(user.accessToken, { status: 'open', cursor: cursorForDone }), 400)
    expectProblem(await list(alice.accessToken, { status: 'done', cursor: cursorForDone }), 400)
    expectProblem(await list(user.accessToken, { cursor: 'eyJQSyI6IlVTRVIjeCJ9.AAAA' }), 400)
    expectProblem(await list(user.accessToken, { limit: '101' }), 400)
  })

  it('honours Idempotency-Key: same body -> same todo, different body -> 422, scoped per user', async () => {
    const key = `key-${crypto.randomUUID()}`
    const body = { title: 'Pay rent' }
    const first = await answer(
      as(alice.accessToken).POST('/todos', {
        params: { header: { 'Idempotency-Key': key } },
        body,
      }),
    )
    const again = await answer(
      as(alice.accessToken).POST('/todos', {
        params: { header: { 'Idempotency-Key': key } },
        body,
      }),
    )
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.body).toEqual(first.body)
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'))
    const other = await answer(
      as(alice.accessToken).POST('/todos', {
        params: { header: { 'Idempotency-Key': key } },
        body: { title: 'Pay rent twice' },
      }),
    )
    expectProblem(other, 422)
    // Bob choosing the same key gets his own todo, not Alice's response.
    const bobs = await answer(
      as(bob.accessToken).POST('/todos', {
        params: { header: { 'Idempotency-Key': key } },
        body,
      }),
    )
    expect(bobs.status).toBe(201)
    expect(bobs.body.id).not.toBe(first.body.id)
    const list = await answer(as(alice.accessToken).GET('/todos', { params: { query: { limit: '100' } } }))
    expect(list.body.items.filter((todo: { title: string }) => todo.title === 'Pay rent')).toHaveLength(1)
  })

  it('never lets another user read, change or delete a todo: 404 on every route', async () => {
    const mine = await answer(as(alice.accessToken).POST('/todos', { body: { title: 'Private' } }))
    const id = mine.body.id as string
    const etag = mine.headers.get('etag')!
    expectProblem(await answer(as(bob.accessToken).GET('/todos/{id}', { params: path(id) })), 404)
    expectProblem(
      await answer(
        as(bob.accessToken).PATCH('/todos/{id}', {
          params: { ...path(id), header: { 'If-Match': etag } },
          body: { title: 'Mine now' },
        }),
      ),
      404,
    )
    expectProblem(
      await answer(
        as(bob.accessToken).PATCH('/todos/{id}', {
          params: { ...path(id), header: { 'If-Match': '*' } },
          body: { title: 'x' },
        }),
      ),
      404,
    )
    expectProblem(await answer(as(bob.accessToken).DELETE('/todos/{id}', { params: path(id) })), 404)
    expectProblem(
      await answer(
        as(bob.accessToken).DELETE('/todos/{id}', { params: { ...path(id), header: { 'If-Match': etag } } }),
      ),
      404,
    )
    const bobsList = await answer(as(bob.accessToken).GET('/todos', { params: { query: { limit: '100' } } }))
    expect(bobsList.body.items.map((todo: { id: string }) => todo.id)).not.toContain(id)
    const still = await answer(as(alice.accessToken).GET('/todos/{id}', { params: path(id) }))
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
      await answer(as(user.accessToken).POST('/todos', { body: { title: 'x'.repeat(20_000) } })),
      await api('POST', '/todos', {
        token: user.accessToken,
        rawBody: 'title=x',
        headers: { 'content-type': 'text/plain' },
      }),
    ]
    expect(bad.map((response) => response.status)).toEqual([400, 400, 400, 413, 415])
    for (const response of bad) expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(bad[2]!.body.errors[0].pointer).toBe('/body')
    expect((await answer(as(user.accessToken).GET('/todos'))).body.items).toEqual([])
  })
})

describe('files', () => {
  it('uploads and downloads through presigned URLs, lists, deletes; other users get 404', async () => {
    const content = 'hello from the e2e test'
    const link = await answer(
      as(alice.accessToken).POST('/files/links', {
        body: {
          operation: 'upload',
          name: 'note.txt',
          contentType: 'text/plain',
          size: Buffer.byteLength(content),
        },
      }),
    )
    expect(link.status).toBe(201)
    expect(link.body.method).toBe('PUT')
    expect(new URL(link.body.url).pathname).toContain(`/private/${alice.sub}/note.txt`)
    expect(new URL(link.body.url).searchParams.get('X-Amz-SignedHeaders')).toContain('content-length')
    const put = await fetch(link.body.url, { method: 'PUT', headers: link.body.headers, body: content })
    expect(put.status).toBe(200)

    const listed = await answer(as(alice.accessToken).GET('/files'))
    expect(listed.body.items).toEqual([
      expect.objectContaining({ name: 'note.txt', size: Buffer.byteLength(content) }),
    ])
    expect((await answer(as(bob.accessToken).GET('/files'))).body.items).toEqual([])

    const download = await answer(
      as(alice.accessToken).POST('/files/links', { body: { operation: 'download', name: 'note.txt' } }),
    )
    expect(download.status).toBe(201)
    expect(await (await fetch(download.body.url)).text()).toBe(content)

    expectProblem(
      await answer(
        as(bob.accessToken).POST('/files/links', { body: { operation: 'download', name: 'note.txt' } }),
      ),
      404,
    )
    expectProblem(
      await answer(
        as(bob.accessToken).POST('/files/links', { body: { operation: 'delete', name: 'note.txt' } }),
      ),
      404,
    )
    expectProblem(
      await answer(
        as(alice.accessToken).POST('/files/links', {
          body: { operation: 'upload', name: '../escape.txt', contentType: 'text/plain', size: 1 },
        }),
      ),
      400,
    )
    expectProblem(
      // A content type outside the allowed list: the typed client cannot send it.
      await api('POST', '/files/links', {
        token: alice.accessToken,
        body: { operation: 'upload', name: 'page.html', contentType: 'text/html', size: 1 },
      }),
      400,
    )

    const remove = await answer(
      as(alice.accessToken).POST('/files/links', { body: { operation: 'delete', name: 'note.txt' } }),
    )
    expect(remove.body.method).toBe('DELETE')
    expect((await fetch(remove.body.url, { method: 'DELETE' })).status).toBe(204)
    expect((await answer(as(alice.accessToken).GET('/files'))).body.items).toEqual([])
  })
})
