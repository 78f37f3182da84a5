/**
 * A photo's result by push to the post's subscribers: an author (real token, `authors` group)
 * creates a post and a presigned upload through blog-site's API (through the site), PUTs the bytes to s3rver, whose
 * notification reaches the real thumbnailer (S3 -> SNS -> SQS wiring); its result lands in the
 * photos table, whose stream the local event source mapping hands to onPhotoChange.
 */
import { randomUUID } from 'node:crypto'
import { type LocalCloudForTests, localCloud, signUpAndSignIn, type TestUser } from '@app/local-cloud/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, newUser, type RealtimeClient } from './client'

/** A 64x48 JPEG (blog-site's test image). */
const SMALL_JPEG = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAwAEADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAAAAX/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCgCMrAAAAAAAAAAAAAAAAAAAAAAP/Z',
  'base64',
)

let cloud: LocalCloudForTests
let author: TestUser
let reader: TestUser
const clients: RealtimeClient[] = []

beforeAll(async () => {
  cloud = localCloud()
  ;[author, reader] = await Promise.all([
    signUpAndSignIn(cloud, 'realtime-author', ['authors']),
    newUser(cloud),
  ])
})
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()))
})

const blog = (path: string, body: unknown) =>
  fetch(`${String(cloud.endpoints.blogSite)}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${author.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

const newPost = async () => {
  const slug = `realtime-${randomUUID().slice(0, 8)}`
  const created = await blog('/api/posts', {
    slug,
    title: 'Pushed photos',
    summary: 'By push',
    body: 'Text.',
  })
  expect(created.status).toBe(201)
  return slug
}

const upload = async (slug: string, bytes: Buffer) => {
  const ticket = await blog(`/api/posts/${slug}/photos`, {
    contentType: 'image/jpeg',
    contentLength: bytes.length,
  })
  expect(ticket.status).toBe(201)
  const { photoKey, upload } = (await ticket.json()) as {
    photoKey: string
    upload: { url: string; method: string; headers: Record<string, string> }
  }
  // The ticket's signed headers (if-none-match: * among them); fetch sets content-length itself.
  const { 'content-length': _length, ...headers } = upload.headers
  const put = await fetch(upload.url, {
    method: upload.method,
    headers,
    body: new Uint8Array(bytes),
  })
  expect(put.status).toBe(200)
  return photoKey
}

const subscriber = async (user: TestUser, slug: string) => {
  const client = await connect(cloud, user.accessToken)
  clients.push(client)
  client.send({ action: 'subscribe', topic: `post:${slug}` })
  await client.next((m) => m.type === 'subscribed' && m.topic === `post:${slug}`)
  return client
}

describe('photo results by push', () => {
  it("a subscriber of the post hears the photo's thumbnails, one of another post hears nothing", async () => {
    const [slug, other] = await Promise.all([newPost(), newPost()])
    const [watching, elsewhere] = await Promise.all([subscriber(reader, slug), subscriber(reader, other)])
    const photoKey = await upload(slug, SMALL_JPEG)
    const ready = await watching.next((m) => m.type === 'photo.ready')
    expect(ready).toMatchObject({
      id: expect.any(String),
      post: slug,
      photo: {
        photoKey,
        status: 'ready',
        thumbnails: [expect.objectContaining({ url: expect.stringMatching(/^\/media\/thumbnails\//) })],
      },
    })
    expect(JSON.stringify(ready)).not.toContain('/media/uploads/')
    // The other post's photo reaches its own subscriber: by then this one's came through the stream.
    await upload(other, SMALL_JPEG)
    await elsewhere.next((m) => m.type === 'photo.ready')
    expect(elsewhere.messages.filter((m) => m.type === 'photo.ready').map((m) => m.post)).toEqual([other])
  })

  it('a photo whose bytes are not an image arrives as photo.failed with its reason in words', async () => {
    const slug = await newPost()
    const watching = await subscriber(reader, slug)
    const photoKey = await upload(slug, Buffer.from('this is not a jpeg at all, just text'))
    expect(await watching.next((m) => m.type === 'photo.failed')).toMatchObject({
      post: slug,
      photo: { photoKey, status: 'failed', reason: expect.any(String), reasonDetail: expect.any(String) },
    })
  })
})
