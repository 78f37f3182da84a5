import { blogApiClient } from '@app/clients'
import { createPoolGroup, localCloud, signUpAndSignIn } from '@app/local-cloud/testing'
import { validateResponses } from '@app/openapi/testing'
import { beforeAll, describe, expect, it } from 'vitest'
import document from '../src/functions/openapi/openapi.generated.json'
import { unique } from './stand-ins'

/**
 * Author writes over HTTP, as a browser sends them: real cognito-local access tokens in
 * `Authorization`, through serverless-offline and the API's real TOKEN authorizer (signature via
 * the pool's JWKS), to the deployed handlers. No principal is injected: no token or a tampered one
 * is a 401, a reader's token a 403, an author's (member of `authors`) a 201/200. Through the typed
 * client (`@app/clients`), every answer checked against the API's OpenAPI document. Through the
 * site (the local edge), as a browser calls it: the API itself refuses calls that bypass the CDN.
 */
const cloud = localCloud()
const api = cloud.endpoints.blogSite as string
let reader: string
let author: string
let otherAuthor: string
let editor: string
let commaGroup: string

const checked = validateResponses(document)
const as = (token?: string) =>
  blogApiClient({ baseUrl: api, middleware: [checked], ...(token !== undefined ? { token } : {}) })

/** Status, data or problem, and the body as text for assertion messages. */
const answer = async <T, E>(call: Promise<{ data?: T; error?: E; response: Response }>) => {
  const { data, error, response } = await call
  return { status: response.status, data, error, text: JSON.stringify(data ?? error) }
}
type PostBody = { slug: string; title: string; summary: string; body: string }
type Edit = Omit<PostBody, 'slug'> & { version: number }
type Photo = { contentType: string; contentLength: number }
const createPost = (token: string | undefined, body: PostBody) =>
  answer(as(token).POST('/api/posts', { body }))
const getPost = (slug: string) => answer(as().GET('/api/posts/{slug}', { params: { path: { slug } } }))
const updatePost = (token: string | undefined, slug: string, body: Edit) =>
  answer(as(token).PUT('/api/posts/{slug}', { params: { path: { slug } }, body }))
const requestPhoto = (token: string | undefined, slug: string, body: Photo) =>
  answer(as(token).POST('/api/posts/{slug}/photos', { params: { path: { slug } }, body }))

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
    expect((await createPost(undefined, { ...content, slug })).status).toBe(401)
    expect((await createPost(`${author}x`, { ...content, slug })).status).toBe(401)
    const asReader = await createPost(reader, { ...content, slug })
    expect(asReader.status, asReader.text).toBe(403)
    expect((await getPost(slug)).status).toBe(404)
    const created = await createPost(author, { ...content, slug })
    expect(created.status, created.text).toBe(201)
    expect(created.data).toMatchObject({ ...content, slug, version: 1 })
  })

  it('PUT /api/posts/{slug}: 401 without a token, 403 for a reader, 200 for an author', async () => {
    const slug = unique('http-put')
    expect((await createPost(author, { ...content, slug })).status).toBe(201)
    const edit = { ...content, title: 'Edited over HTTP', version: 1 }
    expect((await updatePost(undefined, slug, edit)).status).toBe(401)
    expect((await updatePost(`${author}x`, slug, edit)).status).toBe(401)
    expect((await updatePost(reader, slug, edit)).status).toBe(403)
    const updated = await updatePost(author, slug, edit)
    expect(updated.status, updated.text).toBe(200)
    expect(updated.data).toMatchObject({ title: 'Edited over HTTP', version: 2 })
  })

  it('POST /api/posts/{slug}/photos: 401 without a token, 403 for a reader, 201 with an upload URL for an author', async () => {
    const slug = unique('http-photo')
    expect((await createPost(author, { ...content, slug })).status).toBe(201)
    const photo = { contentType: 'image/jpeg', contentLength: 1234 }
    expect((await requestPhoto(undefined, slug, photo)).status).toBe(401)
    expect((await requestPhoto(`${author}x`, slug, photo)).status).toBe(401)
    expect((await requestPhoto(reader, slug, photo)).status).toBe(403)
    const ticket = await requestPhoto(author, slug, photo)
    expect(ticket.status, ticket.text).toBe(201)
    expect(ticket.data?.photoKey).toMatch(new RegExp(`^photos/${slug}/[0-9a-f-]{36}\\.jpg$`))
    expect(ticket.data?.upload).toMatchObject({ method: 'PUT', headers: { 'content-type': 'image/jpeg' } })
  })

  it("lets only the post's author or an editor change it: another author and a group named 'authors,editors' get 403", async () => {
    const slug = unique('http-owned')
    const created = await createPost(author, { ...content, slug })
    expect(created.status, created.text).toBe(201)
    const edit = (version: number) => ({ ...content, title: `Edit ${version}`, version })
    const photo = { contentType: 'image/png', contentLength: 99 }
    for (const [who, token] of [
      ['another author', otherAuthor],
      ['authors,editors', commaGroup],
    ] as const) {
      const put = await updatePost(token, slug, edit(1))
      expect(put.status, `${who}: ${put.text}`).toBe(403)
      expect(put.error).toMatchObject({ status: 403, type: expect.stringMatching(/^\/problems\//) })
      expect((await requestPhoto(token, slug, photo)).status, who).toBe(403)
    }
    expect((await createPost(commaGroup, { ...content, slug: unique('comma') })).status).toBe(403)
    const own = await updatePost(author, slug, edit(1))
    expect(own.status, own.text).toBe(200)
    const byEditor = await updatePost(editor, slug, edit(2))
    expect(byEditor.status, byEditor.text).toBe(200)
    expect(byEditor.data).toMatchObject({ title: 'Edit 2', version: 3, author: created.data?.author })
    expect((await requestPhoto(editor, slug, photo)).status).toBe(201)
  })
})
