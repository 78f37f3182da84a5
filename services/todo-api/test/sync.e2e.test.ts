/**
 * Offline sync end to end through serverless-offline (authorizer, listTodoChanges, DynamoDB Local):
 * two devices of one user, one offline while the other creates, edits and deletes; after syncing
 * both hold the same list as the server. Plus per-user isolation of the feed and its tokens, and the
 * 412 an offline edit gets, carrying the current todo.
 */
import { localCloud } from '@app/local-cloud/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApi } from './api'
import { signUpAndSignIn, type TestUser } from './users'

const cloud = localCloud()
const api = createApi(String(cloud.endpoints.todoApi))

interface Todo {
  id: string
  title: string
  version: number
}

const device = (user: TestUser) => {
  const held = new Map<string, Todo>()
  let token: string | undefined
  return {
    held,
    async sync() {
      for (;;) {
        const query = new URLSearchParams({ limit: '2', ...(token ? { since: token } : {}) })
        const page = await api('GET', `/todos/changes?${query}`, { token: user.accessToken })
        expect(page.status, JSON.stringify(page.body)).toBe(200)
        for (const change of page.body.changes)
          if (change.deleted) held.delete(change.id)
          else held.set(change.id, change.todo)
        token = page.body.next
        if (!page.body.hasMore) return
      }
    },
    get token() {
      return token
    },
  }
}

let alice: TestUser
let bob: TestUser
beforeAll(async () => {
  ;[alice, bob] = await Promise.all([signUpAndSignIn(cloud), signUpAndSignIn(cloud)])
})

const serverList = async (user: TestUser) => {
  const page = await api('GET', '/todos?limit=100', { token: user.accessToken })
  return new Map((page.body.items as Todo[]).map((todo) => [todo.id, todo]))
}

describe('GET /todos/changes', () => {
  it('brings an offline device to the state the other device left', async () => {
    const phone = device(alice)
    const tablet = device(alice)
    const create = async (title: string) =>
      (await api('POST', '/todos', { token: alice.accessToken, body: { title } })).body as Todo
    const first = await create('first')
    const second = await create('second')
    await Promise.all([phone.sync(), tablet.sync()])
    expect(tablet.held).toEqual(phone.held)

    // The tablet is offline; the phone creates, edits and deletes.
    const third = await create('third')
    const etag = (await api('GET', `/todos/${first.id}`, { token: alice.accessToken })).headers.get('etag')!
    const edited = await api('PATCH', `/todos/${first.id}`, {
      token: alice.accessToken,
      headers: { 'If-Match': etag },
      body: { title: 'first, edited' },
    })
    expect(edited.status).toBe(200)
    expect((await api('DELETE', `/todos/${second.id}`, { token: alice.accessToken })).status).toBe(204)
    await phone.sync()

    // Back online, the tablet's edit of a version it no longer has is refused with the current todo.
    const stale = await api('PATCH', `/todos/${first.id}`, {
      token: alice.accessToken,
      headers: { 'If-Match': etag },
      body: { title: 'tablet edit' },
    })
    expect(stale.status).toBe(412)
    expect(stale.headers.get('content-type')).toBe('application/problem+json')
    expect(stale.body.current).toEqual(edited.body)
    expect(stale.body.etag).toBe(edited.headers.get('etag'))

    await tablet.sync()
    const server = await serverList(alice)
    expect([...server.keys()].sort()).toEqual([first.id, third.id].sort())
    expect(tablet.held).toEqual(server)
    expect(phone.held).toEqual(server)
  })

  it("never shows another user's changes and refuses a token issued to someone else", async () => {
    await api('POST', '/todos', { token: alice.accessToken, body: { title: 'private' } })
    const alicesDevice = device(alice)
    await alicesDevice.sync()
    expect(alicesDevice.held.size).toBeGreaterThan(0)

    const bobs = await api('GET', '/todos/changes', { token: bob.accessToken })
    expect(bobs.status).toBe(200)
    expect(bobs.body.changes).toEqual([])
    const replayed = await api('GET', `/todos/changes?since=${encodeURIComponent(alicesDevice.token!)}`, {
      token: bob.accessToken,
    })
    expect(replayed.status).toBe(400)
    expect(replayed.headers.get('content-type')).toBe('application/problem+json')
    expect(replayed.body.errors[0].pointer).toBe('/query/since')
    expect((await api('GET', '/todos/changes')).status).toBe(401)
  })
})
