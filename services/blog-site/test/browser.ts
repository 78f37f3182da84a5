import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Locator } from 'playwright-core'

/** Debian's Chromium through playwright-core (`npx playwright install` cannot download here). */
export const launchBrowser = async (
  name: string,
): Promise<{ context: BrowserContext; close(): Promise<void> }> => {
  const userDataDir = mkdtempSync(join(tmpdir(), `${name}-chromium-`))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
  // The whole suite shares two cores: a Lambda's first start in serverless-offline can take a while.
  context.setDefaultTimeout(90_000)
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

/**
 * The width of a page's image once decoded: `decode()` rejects for a broken image, so a positive
 * width means the bytes really came through (e.g. a thumbnail through /media/thumbnails).
 */
export const decodedWidth = async (image: Locator): Promise<number> => {
  await image.waitFor()
  return image.evaluate(async (element: HTMLImageElement) => {
    await element.decode()
    return element.naturalWidth
  })
}
