import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { packageFolder } from './package'

const service = join(import.meta.dirname, '..', '..', '..', '..', 'services', 'todo-api')
const out = mkdtempSync(join(tmpdir(), 'no-bundles-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

/** The template as text, with what differs between any two packagings (the deployment's timestamp) masked. */
const masked = (folder: string) =>
  JSON.parse(
    readFileSync(join(folder, 'cloudformation-template-update-stack.json'), 'utf8').replace(
      /\d{13}(-\d{4}-\d\d-\d\dT[\d:.]+Z)?/g,
      'TIMESTAMP',
    ),
  ) as unknown

const zips = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.zip'))

describe('packageFolder without bundles (real sls package of todo-api, which bundles with serverless-esbuild)', () => {
  it('gives the template packaging with bundles gives, without bundling any code', async () => {
    const withCode = join(out, 'with-code')
    const withoutCode = join(out, 'without-code')
    await packageFolder({ folder: service, stage: 'local', artifacts: withCode })
    await packageFolder({ folder: service, stage: 'local', artifacts: withoutCode, bundles: false })

    expect(masked(withoutCode)).toEqual(masked(withCode))
    expect(zips(withCode).length).toBeGreaterThan(5)
    // Nothing bundled: osls copies no zip at all, or only empty placeholders.
    for (const zip of zips(withoutCode)) expect(statSync(join(withoutCode, zip)).size).toBe(22)
  }, 240_000)
})
