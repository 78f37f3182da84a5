/**
 * Publishing a post, against the local stand-ins: a post item written to blog-site's table as its
 * createPost stores it (DynamoDB Local) -> its stream, read by local.ts's mapping with the
 * function's own role (IAM enforced) -> sendNewsletter -> Query of the byStatus index ->
 * aws-ses-v2-local. Other files share the cloud, so only this file's addresses are counted.
 */

import { PUBLISHED_FEED } from '@app/domain/posts'
import { eventually } from '@app/domain/testing'
import { localClients } from '@app/local-cloud/clients'
import { localCloud } from '@app/local-cloud/testing'
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { afterAll, describe, expect, it } from 'vitest'
import { header, newslettersTo, putSubscriber, readInbox, subscriberItem, uniqueAddress } from './support'

const cloud = localCloud()
const clients = localClients(cloud)
const { dynamodb } = clients
const subscribersTable = cloud.outputs['blog-site']?.SubscribersTableName as string
const postsTable = cloud.outputs['blog-site']?.PostsTableName as string
const ses = cloud.endpoints.ses
const since = Math.floor(Date.now() / 1000) - 1

afterAll(() => {
  dynamodb.destroy()
  clients.ses.destroy()
})

const post = (slug: string, version = 1) => {
  const at = new Date().toISOString()
  return {
    slug,
    title: `Post ${slug}`,
    summary: 'What is new.',
    body: 'The body.',
    tags: [],
    author: 'ada',
    authorSub: 'sub-ada',
    publishedAt: at,
    updatedAt: at,
    version,
    feed: PUBLISHED_FEED,
  }
}
const putPost = (item: ReturnType<typeof post>) =>
  dynamodb.send(new PutItemCommand({ TableName: postsTable, Item: marshall(item) }))

/** Resolves once `address` has `count` newsletters of `slug`; fails naming them after 40 s. */
const waitForNewsletters = (address: string, slug: string, count = 1) =>
  eventually(
    `${count} newsletter(s) of ${slug} to ${address}`,
    () => readInbox(ses, since),
    (inbox) =>
      newslettersTo(inbox, address).filter((e) => e.subject.endsWith(`Post ${slug}`)).length >= count,
    { within: 40_000, every: 100 },
  )

describe('publish a post -> stream -> one newsletter per confirmed subscriber', () => {
  it('mails every confirmed subscriber once, pending ones never, and an edit or a republish resends nobody', async () => {
    const confirmed = [subscriberItem(uniqueAddress('nl-a')), subscriberItem(uniqueAddress('nl-b'))]
    const pending = subscriberItem(uniqueAddress('nl-pending'), 'pending')
    for (const item of [...confirmed, pending]) await putSubscriber(dynamodb, subscribersTable, item)
    const slug = `newsletter-${Date.now()}`
    await putPost(post(slug))
    for (const { email } of confirmed) await waitForNewsletters(email, slug)

    // An edit (MODIFY of a published item) and a republish (removed, created again) come before a
    // later publication on the ordered stream: once that one is in, the counts are final.
    await putPost(post(slug, 2))
    await dynamodb.send(new DeleteItemCommand({ TableName: postsTable, Key: marshall({ slug }) }))
    await putPost(post(slug, 3))
    const barrier = `${slug}-later`
    await putPost(post(barrier))
    for (const { email } of confirmed) await waitForNewsletters(email, barrier)

    const inbox = await readInbox(ses, since)
    for (const { email } of confirmed) {
      const mine = newslettersTo(inbox, email).filter((e) => e.subject.endsWith(`Post ${slug}`))
      expect(mine).toHaveLength(1)
      expect(mine[0]?.body.text).toContain(`/posts/${slug}`)
      expect(header(mine[0], 'List-Unsubscribe')).toMatch(
        /^<http:\/\/localhost:\d+\/api\/subscribers\/unsubscribe\?token=u\.[^>]+>$/,
      )
      expect(header(mine[0], 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    }
    expect(newslettersTo(inbox, pending.email)).toEqual([])
  })
})
