import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'

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
