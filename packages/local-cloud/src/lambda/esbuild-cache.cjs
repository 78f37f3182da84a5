/**
 * Bundle reuse for serverless-offline (loaded by ./offline-preload.cjs in its main thread): the
 * first build of each function's entry (serverless-esbuild's `context(options).rebuild()`) is
 * skipped when the bundle from the last start is still in the work folder and nothing that went
 * into it changed: the same esbuild options and the same content (sha256) of every input esbuild's
 * metafile listed. Anything else, and every rebuild after the first (serverless-esbuild's watch
 * mode), goes to esbuild itself. Bundling every function costs ~5 s a service on this machine; the
 * check costs reading the inputs.
 */
'use strict'

const Module = require('node:module')
const { createHash } = require('node:crypto')
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs')
const { dirname, join, resolve } = require('node:path')

// One start checks hundreds of shared inputs (zod, middy, the runtime package) once per function:
// each file is read once per version of it (size and mtime), not once per bundle.
const fileHashes = new Map()
const contentHash = (path) => {
  let stats
  try {
    stats = statSync(path)
  } catch {
    return 'absent'
  }
  const version = `${path}\0${stats.size}\0${stats.mtimeMs}`
  let hash = fileHashes.get(version)
  if (hash === undefined) {
    hash = createHash('sha256').update(readFileSync(path)).digest('hex')
    fileHashes.set(version, hash)
  }
  return hash
}

/** The options as esbuild sees them; plugins by name (functions do not serialise). */
const optionsKey = (options) =>
  createHash('sha256')
    .update(JSON.stringify({ ...options, plugins: (options.plugins ?? []).map((plugin) => plugin.name) }))
    .digest('hex')

const recordPath = (options) =>
  join(
    options.outdir,
    '.bundle-reuse',
    `${createHash('sha256').update(String(options.entryPoints)).digest('hex').slice(0, 16)}.json`,
  )

/** The recorded build, if its outputs exist and its inputs are unchanged. */
const reusable = (options, key) => {
  let record
  try {
    record = JSON.parse(readFileSync(recordPath(options), 'utf8'))
  } catch {
    return undefined
  }
  if (record.key !== key) return undefined
  const base = options.absWorkingDir ?? process.cwd()
  for (const output of Object.keys(record.metafile.outputs))
    if (!existsSync(resolve(base, output))) return undefined
  for (const [input, hash] of Object.entries(record.inputs))
    if (contentHash(resolve(base, input)) !== hash) return undefined
  return record
}

const record = (options, key, metafile) => {
  const base = options.absWorkingDir ?? process.cwd()
  const inputs = {}
  for (const input of Object.keys(metafile.inputs)) inputs[input] = contentHash(resolve(base, input))
  const path = recordPath(options)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify({ key, inputs, metafile }))
  renameSync(`${path}.${process.pid}.tmp`, path)
}

const withBundleReuse = (esbuild) => ({
  ...esbuild,
  async context(options) {
    // The metafile names the inputs; asked for here, it is dropped from what the caller sees.
    const wantsMetafile = Boolean(options.metafile)
    const ours = { ...options, metafile: true }
    const key = optionsKey(options)
    let real
    let first = true
    const realContext = async () => {
      real ??= await esbuild.context(ours)
      return real
    }
    return {
      async rebuild() {
        const wasFirst = first
        first = false
        if (wasFirst) {
          const previous = reusable(options, key)
          if (previous)
            return { errors: [], warnings: [], ...(wantsMetafile ? { metafile: previous.metafile } : {}) }
        }
        const result = await (await realContext()).rebuild()
        if (result.metafile) record(options, key, result.metafile)
        if (!wantsMetafile) delete result.metafile
        return result
      },
      async watch(watchOptions) {
        return (await realContext()).watch(watchOptions)
      },
      async serve(serveOptions) {
        return (await realContext()).serve(serveOptions)
      },
      async cancel() {
        return real?.cancel()
      },
      async dispose() {
        return real?.dispose()
      },
    }
  },
})

/** Hands serverless-esbuild (only) the esbuild with bundle reuse. */
const install = () => {
  let patched
  const load = Module._load
  Module._load = function loadWithBundleReuse(request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain)
    if (request !== 'esbuild' || !/[\\/]serverless-esbuild[\\/]/.test(parent?.filename ?? '')) return exports
    patched ??= withBundleReuse(exports)
    return patched
  }
}

module.exports = { install, withBundleReuse }
