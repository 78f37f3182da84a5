import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as esbuild from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'

const { withBundleReuse } = createRequire(import.meta.url)('./esbuild-cache.cjs') as {
  withBundleReuse(real: typeof esbuild): Pick<typeof esbuild, 'context'>
}

const dir = mkdtempSync(join(tmpdir(), 'bundle-reuse-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const outdir = join(dir, 'out')
const output = join(outdir, 'entry.js')
writeFileSync(join(dir, 'entry.ts'), "import { word } from './dep'\nexport const handler = () => word\n")
writeFileSync(join(dir, 'dep.ts'), "export const word = 'first'\n")

/** One start's first build, as serverless-esbuild does it (context, rebuild, dispose). */
const start = async (extra: esbuild.BuildOptions = {}) => {
  const context = await withBundleReuse(esbuild).context({
    entryPoints: [join(dir, 'entry.ts')],
    outdir,
    bundle: true,
    platform: 'node',
    absWorkingDir: dir,
    ...extra,
  })
  const result = await context.rebuild()
  await context.dispose()
  return result
}
/** Marks the bundle on disk, so a later start that rebuilt it shows. */
const mark = () => writeFileSync(output, `${readFileSync(output, 'utf8')}// reused\n`)

describe('bundle reuse across serverless-offline starts', () => {
  it('rebuilds only when an input or the options changed', async () => {
    const first = await start()
    expect(first.errors).toEqual([])
    expect(first).not.toHaveProperty('metafile')
    expect(readFileSync(output, 'utf8')).toContain('first')

    mark()
    await start()
    expect(readFileSync(output, 'utf8')).toContain('// reused')

    writeFileSync(join(dir, 'dep.ts'), "export const word = 'second'\n")
    await start()
    expect(readFileSync(output, 'utf8')).toContain('second')
    expect(readFileSync(output, 'utf8')).not.toContain('// reused')

    mark()
    await start({ minify: true })
    expect(readFileSync(output, 'utf8')).not.toContain('// reused')

    rmSync(output)
    await start({ minify: true })
    expect(readFileSync(output, 'utf8')).toContain('second')
  })
})
