/**
 * Builds the static site into `dist/site/`: esbuild bundles and minifies the script and the styles
 * into content-hashed files under `assets/` (cacheable for a year), and the pages get their
 * partials and the hashed names filled in. `pnpm --filter @app/blog-site build:site`, and
 * site/publish.ts (deploy and `pnpm dev`) call it before uploading.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const siteDir = import.meta.dirname
export const defaultOutDir = join(siteDir, '..', 'dist', 'site')

export interface BuiltSite {
  outDir: string
  /** Paths relative to `outDir`, e.g. `assets/main-3FJ2KQ7A.js`. */
  files: string[]
}

export const buildSite = async (outDir = defaultOutDir): Promise<BuiltSite> => {
  rmSync(outDir, { recursive: true, force: true })
  const assetsDir = join(outDir, 'assets')
  const result = await build({
    // The studio's script is its own entry: readers' pages never load the authors' code.
    entryPoints: {
      main: join(siteDir, 'src', 'main.ts'),
      studio: join(siteDir, 'src', 'studio', 'main.ts'),
      styles: join(siteDir, 'src', 'styles.css'),
    },
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'esm',
    target: ['es2022', 'chrome111', 'firefox113', 'safari16'],
    metafile: true,
    logLevel: 'warning',
  })
  const hashed = (entry: string) => {
    const output = Object.entries(result.metafile.outputs).find(([, meta]) =>
      meta.entryPoint?.endsWith(entry),
    )
    if (!output) throw new Error(`esbuild produced no output for ${entry}`)
    return `/assets/${basename(output[0])}`
  }
  const scripts = { main: hashed('src/main.ts'), studio: hashed('src/studio/main.ts') }
  const styles = hashed('src/styles.css')

  const pagesDir = join(siteDir, 'pages')
  const partials = Object.fromEntries(
    readdirSync(pagesDir)
      .filter((file) => file.startsWith('_'))
      .map((file) => [file.slice(1, -'.html'.length), readFileSync(join(pagesDir, file), 'utf8').trim()]),
  )
  // Pages under a folder are that path's own pages (studio/index.html is /studio/), with its script.
  const pages = readdirSync(pagesDir, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.html') && !basename(file).startsWith('_'),
  )
  for (const page of pages) {
    const names = { script: page.startsWith('studio/') ? scripts.studio : scripts.main, styles }
    const html = readFileSync(join(pagesDir, page), 'utf8')
      .replace(/\{\{> (\w+)\}\}/g, (_, name: string) => {
        const partial = partials[name]
        if (partial === undefined) throw new Error(`${page}: unknown partial ${name}`)
        return partial
      })
      .replace(/\{\{(script|styles)\}\}/g, (_, name: 'script' | 'styles') => names[name])
    mkdirSync(dirname(join(outDir, page)), { recursive: true })
    writeFileSync(join(outDir, page), html)
  }
  const publicDir = join(siteDir, 'public')
  for (const file of readdirSync(publicDir)) copyFileSync(join(publicDir, file), join(outDir, file))

  const files: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else files.push(relative(outDir, path))
    }
  }
  mkdirSync(outDir, { recursive: true })
  walk(outDir)
  return { outDir, files: files.sort() }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const site = await buildSite()
  console.log(`Built ${site.files.length} files into ${relative(process.cwd(), site.outDir)}`)
}
