import { useFunctionEnv } from '@app/local-cloud/testing'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { listPhotosRoute } from '../src/functions/listPhotos/route'
import { requestPhotoUploadRoute } from '../src/functions/requestPhotoUpload/route'
import { aPost, author, call, viaCdn } from '../src/testing/fakes'
import { SMALL_JPEG, standIns, thumbnailerResult, thumbnailProducer, unique } from './stand-ins'

/**
 * The upload side of photos against DynamoDB Local and s3rver: presign -> pending item -> PUT to
 * the presigned URL -> the object under photos/<slug>/ -> the thumbnailer's result -> the post's
 * photo list shows the thumbnails (made by the real thumbnailer when the run includes it, else
 * written by a stand-in and the test says so: see `thumbnailerResult`).
 */

const cloud = useFunctionEnv()
const { outputs, s3, posts, photos, signer } = standIns(cloud)
const clock = { now: () => new Date() }
const upload = requestPhotoUploadRoute({
  ...viaCdn,
  posts,
  photos,
  signer,
  clock,
  newId: () => crypto.randomUUID(),
  maxBytes: 1024 * 1024,
})
const list = listPhotosRoute({ ...viaCdn, posts, photos, clock })

describe('photo uploads against s3rver and DynamoDB Local', () => {
  it(`hands out a working presigned PUT and shows the thumbnail once it is made ${thumbnailProducer(cloud)}`, async () => {
    const post = aPost({ slug: unique('photo-post') })
    await posts.create(post)
    const bytes = SMALL_JPEG
    const ticket = await call(upload, {
      method: 'POST',
      pathParameters: { slug: post.slug },
      body: { contentType: 'image/jpeg', contentLength: bytes.length, caption: 'Harbour at dawn' },
      principal: author,
    })
    expect(ticket.status).toBe(201)
    const { photoKey, upload: target } = ticket.body
    expect(photoKey).toMatch(new RegExp(`^photos/${post.slug}/[0-9a-f-]{36}\\.jpg$`))

    const at = { pathParameters: { slug: post.slug } }
    const pending = await call(list, at)
    expect(pending.body.items).toEqual([
      {
        photoKey,
        status: 'pending',
        caption: 'Harbour at dawn',
        thumbnails: [],
      },
    ])
    expect(pending.headers['cache-control']).toBe('public, max-age=5, s-maxage=5')

    const put = await fetch(target.url, {
      method: target.method,
      headers: { 'content-type': 'image/jpeg', 'if-none-match': '*' },
      body: bytes,
    })
    expect(put.status).toBe(200)
    const head = await s3.send(new HeadObjectCommand({ Bucket: outputs.UploadsBucketName, Key: photoKey }))
    expect(head.ContentType).toBe('image/jpeg')
    expect(head.ContentLength).toBe(bytes.length)

    await thumbnailerResult(cloud, photoKey)
    const ready = await call(list, at)
    expect(ready.body.items[0]).toMatchObject({ status: 'ready', width: 64, height: 48 })
    expect(ready.body.items[0].thumbnails.length).toBeGreaterThan(0)
    for (const thumbnail of ready.body.items[0].thumbnails)
      expect(thumbnail.url).toMatch(/^\/media\/thumbnails\/.+/)
    expect(ready.headers['cache-control']).toBe('public, max-age=60, s-maxage=60')
  })
})
