/**
 * The zip check every service that ships sharp to Lambda runs on its `sls package` artifacts (test
 * code: the services' packaging tests), so thumbnailer and workflows assert the same facts about
 * the shared serverless block's install (packages/serverless-ops/service.cjs, SHARP_FOR_LAMBDA).
 */
import JSZip from 'jszip'
import { expect } from 'vitest'
import packageJson from '../package.json' with { type: 'json' }

/** The sharp version every service ships: the one packages/images depends on (and the block installs). */
export const SHARP_VERSION = packageJson.dependencies.sharp

/** ELF e_machine of each Lambda architecture's native code. */
const ELF_MACHINE = { arm64: 0xb7, x86_64: 0x3e } as const
const NPM_CPU = { arm64: 'arm64', x86_64: 'x64' } as const

/** Lambda's unzipped limit is 250 MB; a sharp function stays far below it. */
const MAX_UNZIPPED_BYTES = 100 * 1024 * 1024

/**
 * Asserts that a function's zip holds its bundled handler importing sharp (not bundling it), no
 * AWS SDK, and sharp `SHARP_VERSION` with native code for `architecture` only (ELF e_machine
 * checked), below `MAX_UNZIPPED_BYTES`.
 */
export const expectSharpForLambda = async (
  zipBytes: Uint8Array,
  { handler, architecture }: { handler: string; architecture: keyof typeof ELF_MACHINE },
): Promise<void> => {
  const zip = await JSZip.loadAsync(zipBytes)
  const names = Object.keys(zip.files).filter((name) => !zip.files[name]!.dir)
  const bundle = await zip.file(handler)?.async('string')
  expect(bundle, `${handler} in the zip`).toBeDefined()
  // Booleans, so a failure names the fact instead of printing a minified bundle.
  expect(/from\s*"sharp"/.test(bundle ?? ''), `${handler} imports sharp`).toBe(true)
  expect(bundle?.includes('libvips-cpp'), `${handler} bundles no sharp internals`).toBe(false)
  expect(names.some((name) => name.startsWith('node_modules/@aws-sdk/'))).toBe(false)

  const sharp = JSON.parse((await zip.file('node_modules/sharp/package.json')?.async('string')) ?? '{}')
  expect(sharp.version).toBe(SHARP_VERSION)
  const platform = `linux-${NPM_CPU[architecture]}`
  const images = [
    ...new Set(
      names.filter((name) => name.startsWith('node_modules/@img/')).map((name) => name.split('/')[2]),
    ),
  ]
  expect(images.sort()).toEqual(['colour', `sharp-libvips-${platform}`, `sharp-${platform}`])
  const addonPath = `node_modules/@img/sharp-${platform}/lib/sharp-${platform}-${SHARP_VERSION}.node`
  expect(names).toContain(addonPath)
  expect(
    names.some((name) => name.startsWith(`node_modules/@img/sharp-libvips-${platform}/lib/libvips-cpp.so`)),
  ).toBe(true)
  const addon = Buffer.from(await zip.file(addonPath)!.async('uint8array'))
  expect([...addon.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46])
  expect(addon.readUInt16LE(18), `${addonPath}: ELF e_machine`).toBe(ELF_MACHINE[architecture])

  let total = 0
  for (const name of names) total += (await zip.file(name)!.async('uint8array')).length
  expect(total).toBeLessThan(MAX_UNZIPPED_BYTES)
}

/** Whether a function's zip carries sharp or its native packages (a function that never loads it should not). */
export const zipHasSharp = async (zipBytes: Uint8Array): Promise<boolean> => {
  const zip = await JSZip.loadAsync(zipBytes)
  return Object.keys(zip.files).some((name) => /^node_modules\/(sharp|@img)\//.test(name))
}
