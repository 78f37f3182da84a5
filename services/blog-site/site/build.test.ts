import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildSite } from './build'
import { CACHE_CONTROL, objectHeadersFor } from './publish'

const outDir = mkdtempSync(join(tmpdir(), 'blog-site-build-'))
afterAll(() => rmSync(outDir, { recursive: true, force: true }))

describe('the site build', () => {
  it('emits pages that reference content-hashed assets which exist', async () => {
    const site = await buildSite(outDir)
    expect(site.files).toEqual(
      expect.arrayContaining([
        'index.html',
        'post.html',
        '404.html',
        'unsubscribe.html',
        'confirm.html',
        'studio/index.html',
        'favicon.svg',
        'robots.txt',
      ]),
    )
    for (const page of site.files.filter((file) => file.endsWith('.html'))) {
      const html = readFileSync(join(outDir, page), 'utf8')
      expect(html, page).not.toContain('{{')
      const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1])
      expect(assets, page).toHaveLength(2)
      // Readers' pages load the readers' script; only the studio's page loads the studio's.
      const script = page.startsWith('studio/') ? 'studio' : 'main'
      for (const asset of assets) {
        expect(asset).toMatch(new RegExp(`^assets/(${script}|styles)-[A-Z0-9]{8}\\.(js|css)$`))
        expect(site.files).toContain(asset)
      }
      // No inline script or style: the CSP allows only 'self'.
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\son\w+="/)
    }
  })

  it('gives hashed assets a year and pages a minute', () => {
    expect(objectHeadersFor('assets/main-ABCDEFGH.js')).toEqual({
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: CACHE_CONTROL.hashed,
    })
    expect(objectHeadersFor('index.html')).toEqual({
      contentType: 'text/html; charset=utf-8',
      cacheControl: CACHE_CONTROL.page,
    })
    expect(CACHE_CONTROL.hashed).toContain('immutable')
  })
})
