/**
 * @local-cloud-services realtime
 *
 * The author studio in a real browser (Debian's Chromium through playwright-core) on the local blog,
 * with realtime (and, through its compose dependencies, the real thumbnailer) in the run: an author
 * signs in against cognito-local from the page, writes a post in Markdown (live preview), publishes
 * it, uploads a photo through the presigned PUT with a progress bar, and sees its thumbnail pushed
 * over the WebSocket without a reload or a poll (and a non-image's failure, in words); the post is
 * on the public page. A reader (signed
 * in, not in `authors`) gets the API's 403 for publishing. An axe-core check of the studio finds no
 * accessibility violation, and a screenshot is kept in test-results/.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { localCloud, signUpAndSignIn, type TestUser } from '@app/local-cloud/testing'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodedWidth, launchBrowser } from './browser'
import { SMALL_JPEG, thumbnailProducer, unique } from './stand-ins'

const cloud = localCloud()
const site = cloud.endpoints.blogSite as string
const resultsDir = join(import.meta.dirname, '..', '..', '..', 'test-results')
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

let context: BrowserContext
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined
let author: TestUser
let reader: TestUser

beforeAll(async () => {
  author = await signUpAndSignIn(cloud, 'studio-author', ['authors'])
  reader = await signUpAndSignIn(cloud, 'studio-reader')
  browser = await launchBrowser('blog-site-studio')
  context = browser.context
}, 120_000)

afterAll(async () => {
  await browser?.close()
})

/** Console errors and page errors (a CSP violation shows up here), minus the ones a test provokes. */
const watchProblems = (page: Page) => {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText
    // ERR_ABORTED: the browser dropped a request itself (e.g. the favicon when the page moved on).
    if (reason !== 'net::ERR_ABORTED') problems.push(`${request.method()} ${request.url()}: ${reason}`)
  })
  return problems
}

const signInAs = async (page: Page, user: TestUser) => {
  await page.goto(`${site}/studio/`)
  await page.getByLabel('Email').fill(user.email)
  await page.getByLabel('Password').fill(user.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText(`Signed in as ${user.email}`).waitFor()
}

describe('the author studio in a browser', () => {
  it(`lets an author publish a post with a photo whose thumbnail (made ${thumbnailProducer(cloud)}) is pushed in`, {
    timeout: 300_000,
  }, async () => {
    expect(cloud.endpoints.realtime, 'this run needs services/realtime').toBeTruthy()
    const page = await context.newPage()
    const problems = watchProblems(page)
    const response = await page.goto(`${site}/studio/`)
    const csp = response?.headers()['content-security-policy'] ?? ''
    // Its own CSP: the site's, plus exactly the sign-in, upload and WebSocket origins.
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain(new URL(cloud.endpoints.cognito.endpoint).origin)
    expect(csp).toContain(new URL(cloud.endpoints.realtime as string).origin)
    // The presigned PUTs' origin: the functions' S3 endpoint (the local AWS gateway).
    expect(csp).toContain(new URL(cloud.endpoints.awsGateway ?? cloud.endpoints.s3).origin)
    expect(csp).not.toContain('*')
    await signInAs(page, author)
    let navigations = 0
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++
    })

    const title = `Studio post ${unique('t')}`
    await page.getByLabel('Title').fill(title)
    const slug = await page.getByLabel('Address (slug)').inputValue()
    expect(slug).toMatch(/^studio-post-t-/)
    await page.getByLabel('Summary').fill('Written and published in the studio.')
    await page.getByLabel('Shown as').fill('Ada Lovelace')
    await page
      .getByLabel('Body (Markdown)')
      .fill(
        'Written in **Markdown** in the studio.\n\n<script>window.ran = true</script>\n\nThe second paragraph.',
      )
    // The live preview: the readers' rendering, sanitised.
    const preview = page.locator('#preview')
    await preview.locator('strong', { hasText: 'Markdown' }).waitFor()
    expect(await preview.locator('script').count()).toBe(0)

    const photosPath = `/api/posts/${slug}/photos`
    const [created] = await Promise.all([
      page.waitForResponse(
        (answer) => answer.url().endsWith('/api/posts') && answer.request().method() === 'POST',
      ),
      // The published post's photos so far, read once when it opens in the editor.
      page.waitForResponse(
        (answer) => answer.url().endsWith(photosPath) && answer.request().method() === 'GET',
      ),
      page.getByRole('button', { name: 'Publish' }).click(),
    ])
    expect(created.status()).toBe(201)
    await page.getByText(`Published: “${title}” is live`).waitFor()

    // The photo: a presigned PUT straight to the uploads bucket, with upload progress.
    const photoRequests: string[] = []
    page.on('request', (request) => {
      if (request.url().endsWith(photosPath)) photoRequests.push(request.method())
    })
    await page
      .getByLabel(/^Photo \(JPEG/)
      .setInputFiles({ name: 'tiny.jpg', mimeType: 'image/jpeg', buffer: SMALL_JPEG })
    await page.getByLabel('Caption').fill('A tiny studio photo')
    const [put] = await Promise.all([
      page
        .waitForResponse((answer) => answer.request().method() === 'PUT')
        .catch((error: Error) => {
          throw new Error(`${error.message}; the page saw: ${problems.join(' | ')}`)
        }),
      page.getByRole('button', { name: 'Upload' }).click(),
    ])
    expect(put.status()).toBe(200)
    // The thumbnail arrives by push: no reload, and no GET of the photos list after the upload.
    expect(await decodedWidth(page.getByRole('img', { name: 'A tiny studio photo' }))).toBeGreaterThan(0)
    expect(photoRequests).toEqual(['POST'])
    expect(navigations).toBe(0)
    await page.getByText(/^Ready: \d+ thumbnails?\./).waitFor()
    expect(await page.evaluate(() => (window as { ran?: boolean }).ran)).toBeUndefined()

    // A file that is no image: the thumbnailer's failure arrives by push, its reason in words.
    await page.getByLabel(/^Photo \(JPEG/).setInputFiles({
      name: 'not-a-photo.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('not an image at all'),
    })
    await page.getByLabel('Caption').fill('Not a photo')
    await page.getByRole('button', { name: 'Upload' }).click()
    const failed = page.locator('li', { hasText: 'Not a photo' }).locator('.failed')
    await failed.waitFor()
    expect(await failed.textContent()).toMatch(/^Failed: \w.{10,}/)
    expect(photoRequests).toEqual(['POST', 'POST'])
    expect(navigations).toBe(0)

    // The post is in the author's list, and axe finds nothing to fix on the studio.
    await page.locator('#my-posts').getByRole('link', { name: title }).waitFor()
    await page.evaluate(axeSource)
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown[] }> } }
      ).axe
      const result = await axe.run(document)
      return result.violations.map((violation) => JSON.stringify(violation).slice(0, 600))
    })
    expect(violations).toEqual([])
    mkdirSync(resultsDir, { recursive: true })
    await page.screenshot({ path: join(resultsDir, 'blog-site-studio.png'), fullPage: true })
    expect(problems).toEqual([])

    // Readers see it on the public page, rendered by the same module.
    const reading = await context.newPage()
    await reading.goto(`${site}/posts/${slug}`)
    await reading.getByRole('heading', { level: 1, name: title }).waitFor()
    await reading.locator('.post-body strong', { hasText: 'Markdown' }).waitFor()
    await reading.getByText('The second paragraph.').waitFor()
    // By the display name the author chose, never the account's email.
    await reading.getByText('Ada Lovelace').first().waitFor()
    expect(await reading.getByText(author.email).count()).toBe(0)
  })

  it('refuses a reader: the API answers 403 to publishing, and the studio says so', {
    timeout: 240_000,
  }, async () => {
    const page = await context.newPage()
    await signInAs(page, reader)
    await page.getByText('not in the authors group').waitFor()
    const slug = unique('reader-post')
    await page.getByLabel('Title').fill('A reader tries to publish')
    await page.getByLabel('Address (slug)').fill(slug)
    await page.getByLabel('Body (Markdown)').fill('Should never be published.')
    const [refused] = await Promise.all([
      page.waitForResponse(
        (answer) => answer.url().endsWith('/api/posts') && answer.request().method() === 'POST',
      ),
      page.getByRole('button', { name: 'Publish' }).click(),
    ])
    expect(refused.status()).toBe(403)
    expect(refused.headers()['content-type']).toContain('application/problem+json')
    await page.getByText('The blog refused').waitFor()
    const answer = await fetch(`${site}/api/posts/${slug}`)
    expect(answer.status).toBe(404)
  })
})
