import { ConflictError, PreconditionFailedError } from '@app/domain'
import type { Post } from '@app/domain/posts'
import { useFunctionEnv } from '@app/local-cloud/testing'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import type { PageKey } from '../src/ports'
import { aPost, fakePosts } from '../src/testing/fakes'
import { standIns, unique } from './stand-ins'

/**
 * The posts adapter against DynamoDB Local, where the in-memory fake cannot speak for it: the
 * conditional create (409), the versioned replace (412) and paging through the `byPublished`
 * index, with a page boundary exactly on the last post.
 */
const cloud = useFunctionEnv()
const { outputs, db, posts, photos } = standIns(cloud)
const stored = async (slug: string) =>
  (await db.send(new GetCommand({ TableName: outputs.PostsTableName, Key: { slug }, ConsistentRead: true })))
    .Item

describe('the DynamoDB posts repository', () => {
  it('creates a slug once: the second create is a ConflictError and leaves the first post', async () => {
    const post = aPost({ slug: unique('create-once') })
    await posts.create(post)
    await expect(
      posts.create({ ...post, title: 'A second post under the same slug' }),
    ).rejects.toBeInstanceOf(ConflictError)
    expect(await posts.get(post.slug)).toEqual(post)
  })

  it('replaces only the version it was given: stale and missing posts are PreconditionFailed', async () => {
    const post = aPost({ slug: unique('replace') })
    await posts.create(post)
    const revised = { ...post, title: 'Revised', version: 2 }
    await posts.replace(revised, 1)
    expect(await posts.get(post.slug)).toEqual(revised)
    const before = await stored(post.slug)
    await expect(posts.replace({ ...post, title: 'Stale edit', version: 2 }, 1)).rejects.toBeInstanceOf(
      PreconditionFailedError,
    )
    expect(await stored(post.slug)).toEqual(before)
    const missing = aPost({ slug: unique('never-created') })
    await expect(posts.replace({ ...missing, version: 2 }, 1)).rejects.toBeInstanceOf(PreconditionFailedError)
    expect(await stored(missing.slug)).toBeUndefined()
  })

  it('pages newest first to the end, a page ending exactly on the last post included', async () => {
    // The feed is one partition shared with every other test: these posts are dated long before
    // anything else, and paging starts right after the newest of them (as a cursor would).
    const run = unique('paging')
    const dated = (day: number) => `1900-01-${String(day).padStart(2, '0')}T00:00:00.000Z`
    const anchor = aPost({ slug: `${run}-anchor`, publishedAt: dated(20) })
    const mine = [6, 5, 4, 3, 2, 1].map((day) => aPost({ slug: `${run}-${day}`, publishedAt: dated(day) }))
    for (const post of [anchor, ...mine]) await posts.create(post)
    const start: PageKey = { slug: anchor.slug, feed: 'published', publishedAt: anchor.publishedAt }

    const pageThrough = async (repository: typeof posts, limit: number) => {
      const pages: { slugs: string[]; more: boolean }[] = []
      let after: PageKey | undefined = start
      do {
        const page = await repository.listNewestFirst(limit, after)
        pages.push({ slugs: page.items.map((item) => item.slug), more: page.next !== undefined })
        for (const item of page.items) expect(item).not.toHaveProperty('body')
        after = page.next
      } while (after && pages.length < 10)
      return pages
    }
    const slugs = mine.map((post) => post.slug)
    for (const limit of [3, 4, 6, 7]) {
      const pages = await pageThrough(posts, limit)
      // Every post once, newest first, and the walk ends.
      expect(
        pages.flatMap((page) => page.slugs),
        `limit ${limit}`,
      ).toEqual(slugs)
      expect(pages.at(-1)?.more, `limit ${limit}`).toBe(false)
      for (const page of pages.slice(0, -1)) expect(page.slugs, `limit ${limit}`).toHaveLength(limit)
    }
    // Where the boundary falls on the last post, DynamoDB still hands back a LastEvaluatedKey: the
    // real adapter answers one more, empty page, which the in-memory fake never does.
    expect((await pageThrough(posts, 3)).map((page) => page.slugs.length)).toEqual([3, 3, 0])
    expect((await pageThrough(posts, 6)).map((page) => page.slugs.length)).toEqual([6, 0])
    expect((await pageThrough(posts, 7)).map((page) => page.slugs.length)).toEqual([6])
    const fake = fakePosts([anchor, ...mine] as Post[]).repository
    const fakePages = async (limit: number) => {
      const sizes: number[] = []
      let after: PageKey | undefined = { slug: anchor.slug }
      do {
        const page = await fake.listNewestFirst(limit, after)
        sizes.push(page.items.length)
        after = page.next
      } while (after)
      return sizes
    }
    expect(await fakePages(3)).toEqual([3, 3])
  })
})

describe('the DynamoDB photos repository', () => {
  it('finds a post’s new photos behind more than 100 abandoned uploads, newest first', async () => {
    const postSlug = unique('abandoned')
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 0, minute)).toISOString()
    const pending = (minute: number) => ({
      photoKey: `photos/${postSlug}/${String(minute).padStart(8, '0')}-0000-4000-8000-000000000000.jpg`,
      postSlug,
      uploadedAt: at(minute),
      status: 'pending' as const,
      contentType: 'image/jpeg',
      contentLength: 1000,
      uploadedBy: 'author-sub',
    })
    // A ready photo, then 130 uploads whose PUT never came (older than the cut-off), then two that
    // are still fresh: the ready one is behind more than a page of abandoned uploads either way.
    await photos.addPending({ ...pending(0), status: 'ready' as never })
    for (let chunk = 1; chunk <= 130; chunk += 26) {
      await Promise.all(Array.from({ length: 26 }, (_, index) => photos.addPending(pending(chunk + index))))
    }
    await photos.addPending(pending(500))
    await photos.addPending(pending(501))
    const found = await photos.listVisibleByPost(postSlug, { limit: 100, pendingSince: at(400) })
    expect(found.map((photo) => photo.uploadedAt)).toEqual([at(501), at(500), at(0)])
    const newest = await photos.listVisibleByPost(postSlug, { limit: 1, pendingSince: at(400) })
    expect(newest.map((photo) => photo.uploadedAt)).toEqual([at(501)])
  })
})
