import { useFunctionEnv } from '@app/local-cloud/testing'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { dynamoPhotosRepository, dynamoPostsRepository } from '../src/adapters/dynamodb'
import { s3PhotoUploadSigner } from '../src/adapters/s3'
import { listPhotosRoute } from '../src/functions/listPhotos/route'
import { requestPhotoUploadRoute } from '../src/functions/requestPhotoUpload/route'
import { aPost, author, call } from '../src/testing/fakes'
import { blogOutputs, standInClients, unique } from './stand-ins'

/**
 * The upload side of photos against DynamoDB Local and s3rver: presign -> pending item -> PUT to
 * the presigned URL -> the object under photos/<slug>/ -> the thumbnailer's result -> the post's
 * photo list shows the thumbnails. When the run's local cloud includes services/thumbnailer (the
 * full `pnpm test` run), its real handler produces the result; otherwise the test writes the result
 * as the thumbnailer does.
 */

/** A real 64x48 JPEG, so the real thumbnailer (when it runs) succeeds. */
const jpeg = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAwAEADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAAAAX/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCgCMrAAAAAAAAAAAAAAAAAAAAAAP/Z',
  'base64',
)
const cloud = useFunctionEnv()
const outputs = blogOutputs(cloud)
const { db, s3 } = standInClients(cloud)
const posts = dynamoPostsRepository(db, outputs.PostsTableName)
const photos = dynamoPhotosRepository(db, outputs.PhotosTableName)
const clock = { now: () => new Date() }
const upload = requestPhotoUploadRoute({
  posts,
  photos,
  signer: s3PhotoUploadSigner(s3, outputs.UploadsBucketName),
  clock,
  newId: () => crypto.randomUUID(),
  maxBytes: 1024 * 1024,
})
const list = listPhotosRoute({ posts, photos, clock })

describe('photo uploads against s3rver and DynamoDB Local', () => {
  it('hands out a working presigned PUT and shows the thumbnail once the thumbnailer is done', async () => {
    const post = aPost({ slug: unique('photo-post') })
    await posts.create(post)
    const bytes = jpeg
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
        url: `/media/uploads/${photoKey}`,
        caption: 'Harbour at dawn',
        thumbnails: [],
      },
    ])
    expect(pending.headers['cache-control']).toBe('public, max-age=5, s-maxage=5')

    const put = await fetch(target.url, {
      method: target.method,
      headers: { 'content-type': 'image/jpeg' },
      body: bytes,
    })
    expect(put.status).toBe(200)
    const head = await s3.send(new HeadObjectCommand({ Bucket: outputs.UploadsBucketName, Key: photoKey }))
    expect(head.ContentType).toBe('image/jpeg')
    expect(head.ContentLength).toBe(bytes.length)

    const thumbnailerRuns = cloud.services.some((service) => service.name === 'thumbnailer')
    if (thumbnailerRuns) {
      // Bounded by attempts, not by a clock: a slow machine only takes more polls.
      for (let attempt = 0; attempt < 200; attempt++) {
        const item = (await call(list, at)).body.items[0]
        if (item?.status !== 'pending') break
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    } else {
      const thumbnailKey = `${photoKey.slice('photos/'.length)}/etag/320.webp`
      await db.send(
        new UpdateCommand({
          TableName: outputs.PhotosTableName,
          Key: { photoKey },
          UpdateExpression: 'SET #status = :ready, width = :w, height = :h, thumbnails = :t',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':ready': 'ready',
            ':w': 64,
            ':h': 48,
            ':t': [{ width: 64, height: 48, key: thumbnailKey, contentType: 'image/webp' }],
          },
        }),
      )
    }
    const ready = await call(list, at)
    expect(ready.body.items[0]).toMatchObject({ status: 'ready', width: 64, height: 48 })
    expect(ready.body.items[0].thumbnails.length).toBeGreaterThan(0)
    for (const thumbnail of ready.body.items[0].thumbnails)
      expect(thumbnail.url).toMatch(/^\/media\/thumbnails\/.+/)
    expect(ready.headers['cache-control']).toBe('public, max-age=60, s-maxage=60')
  })
})
