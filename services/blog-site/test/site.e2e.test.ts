import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createSubscriptionTokens } from '@app/domain/subscribers'
import { localSecret } from '@app/local-cloud/secrets'
import { localCloud } from '@app/local-cloud/testing'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestPhotoUploadRoute } from '../src/functions/requestPhotoUpload/route'
import { aPost, author, call, viaCdn } from '../src/testing/fakes'
import { decodedWidth, launchBrowser } from './browser'
import { SMALL_JPEG, standIns, thumbnailerResult, thumbnailProducer, unique } from './stand-ins'

/**
 * A reader in a real browser (Debian's Chromium through playwright-core) on the local blog: the
 * site from s3rver through the local edge (same URL function and CSP as CloudFront), the API through
 * serverless-offline, media from the buckets. Opens the list, reads a post with its photo, subscribes.
 */
const cloud = localCloud()
const { outputs, db, posts, photos, signer } = standIns(cloud)
const site = cloud.endpoints.blogSite as string
const rootDir = join(import.meta.dirname, '..', '..', '..')
const resultsDir = join(rootDir, 'test-results')

const post = aPost({
  slug: unique('browser-post'),
  title: 'A post read in a real browser',
  summary: 'Opened from the list, read, and subscribed to.',
  body: 'The first paragraph of the post.\n\nThe second paragraph, after a blank line.',
  // Newest of the run by far, so it is on the first page whatever other tests publish meanwhile.
  publishedAt: new Date(Date.now() + 365 * 24 * 3_600_000).toISOString(),
})
let context: BrowserContext
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined

beforeAll(async () => {
  await posts.create(post)
  // The photo takes the author's path: a presigned upload, the PUT, then the thumbnailer's result.
  const requestUpload = requestPhotoUploadRoute({
    ...viaCdn,
    posts,
    photos,
    signer,
    clock: { now: () => new Date() },
    newId: () => crypto.randomUUID(),
    maxBytes: 1024 * 1024,
  })
  const ticket = await call(requestUpload, {
    method: 'POST',
    pathParameters: { slug: post.slug },
    body: { contentType: 'image/jpeg', contentLength: SMALL_JPEG.length, caption: 'A tiny test image' },
    principal: author,
  })
  const put = await fetch(ticket.body.upload.url, {
    method: ticket.body.upload.method,
    headers: { 'content-type': 'image/jpeg', 'if-none-match': '*' },
    body: SMALL_JPEG,
  })
  expect(put.status).toBe(200)
  await thumbnailerResult(cloud, ticket.body.photoKey)
  browser = await launchBrowser('blog-site')
  context = browser.context
}, 120_000)

afterAll(async () => {
  await browser?.close()
})

describe('the blog in a browser', () => {
  it(`lists posts, shows a post with its photo (thumbnail made ${thumbnailProducer(cloud)}), and subscribes a reader`, {
    timeout: 240_000,
  }, async () => {
    const page = await context.newPage()
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))

    await page.goto(site)
    await expect(page.getByRole('heading', { level: 1, name: 'Latest posts' }).isVisible()).resolves.toBe(
      true,
    )
    const link = page.getByRole('link', { name: post.title })
    await link.waitFor()
    await link.click()

    await page.waitForURL(`${site}/posts/${post.slug}`)
    const heading = page.getByRole('heading', { level: 1, name: post.title })
    await heading.waitFor()
    expect(await page.title()).toBe(`${post.title} · Serverless Classics`)
    await page.getByText('The second paragraph, after a blank line.').waitFor()

    expect(await decodedWidth(page.getByRole('img', { name: 'A tiny test image' }))).toBeGreaterThan(0)

    const email = `${unique('browser')}@example.com`
    const input = page.getByLabel('Email address')
    await input.fill('not an address')
    await page.getByRole('button', { name: 'Subscribe' }).click()
    await page.getByText('Please enter an email address').waitFor()
    expect(await input.getAttribute('aria-invalid')).toBe('true')

    await input.fill(email)
    await page.getByRole('button', { name: 'Subscribe' }).click()
    const confirmation = page.getByRole('status').filter({ hasText: 'Almost there' })
    await confirmation.waitFor()
    expect(await confirmation.textContent()).toContain(email)

    mkdirSync(resultsDir, { recursive: true })
    await page.screenshot({ path: join(resultsDir, 'blog-site-e2e.png'), fullPage: true })

    const { Item } = await db.send(
      new GetCommand({ TableName: outputs.SubscribersTableName, Key: { email } }),
    )
    expect(Item).toMatchObject({ email, status: 'pending' })

    // The link of the confirmation email (signed with the local stage's key, as welcome-mailer does):
    // a page whose button confirms.
    const tokens = createSubscriptionTokens(localSecret(`blog-site/${cloud.stage}/subscription-token-secret`))
    const confirmToken = tokens.confirmation({
      subscriberId: Item?.subscriberId,
      round: Item?.confirmationRound,
      expiresAt: Item?.expiresAt,
    })
    await page.goto(`${site}/confirm?token=${confirmToken}`)
    await page.getByRole('button', { name: 'Confirm' }).click()
    await page.getByRole('status').filter({ hasText: 'You are subscribed' }).waitFor()
    const confirmed = await db.send(
      new GetCommand({ TableName: outputs.SubscribersTableName, Key: { email } }),
    )
    expect(confirmed.Item).toMatchObject({ email, status: 'confirmed' })

    // The link of every email: a page whose button ends the subscription.
    await page.goto(`${site}/unsubscribe?token=${tokens.unsubscribe(Item?.subscriberId)}`)
    await page.getByRole('button', { name: 'Unsubscribe' }).click()
    await page.getByRole('status').filter({ hasText: 'You are unsubscribed' }).waitFor()
    const after = await db.send(new GetCommand({ TableName: outputs.SubscribersTableName, Key: { email } }))
    expect(after.Item).toBeUndefined()

    // A CSP violation or a failed fetch shows up here.
    expect(problems).toEqual([])
  })

  it('answers an unknown post with a readable not-found page', { timeout: 240_000 }, async () => {
    const page = await context.newPage()
    await page.goto(`${site}/posts/no-such-post-${Date.now()}`)
    await page.getByRole('heading', { level: 1, name: 'Post not found' }).waitFor()
    const response = await page.goto(`${site}/definitely/not/here`)
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'")
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor()
  })
})
