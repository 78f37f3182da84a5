/**
 * The serverless.yml blocks every service shares, so a provider, bundling or plugin setting changes in
 * one place. A service pulls them in with
 *   plugins: ${file(../../packages/serverless-ops/service.cjs):plugins}
 *   provider: ${file(../../packages/serverless-ops/service.cjs):provider}
 *   custom.esbuild: ${file(../../packages/serverless-ops/service.cjs):esbuild}
 *     (or `:esbuildWithSharp` for a service whose functions load sharp: see SHARP_FOR_LAMBDA)
 * and states only what is its own under `custom.shape` (`plugins`, `provider`, `esbuild`): objects
 * merge key by key into the shared ones (so `provider.environment` adds the service's variables to
 * the shared four), lists and scalars replace. JavaScript rather than YAML because YAML cannot merge
 * a shared map with a service's own keys; osls loads this with require() (`${file()}` of a .cjs).
 *
 * The service's `custom.shape` is read unresolved, from its serverless.yml (osls' own reader, in the
 * service folder osls runs in), and merged as written: its `${param:…}`/`${self:…}` are then resolved
 * by osls as if written in place. Resolving them here instead would make `provider` wait for params,
 * and osls must read `provider.stage` before any param exists.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are Serverless Framework variables, resolved by osls
'use strict'

const { join } = require('node:path')

/** The plugins every service runs, in hook order; `custom.shape.plugins` go between them and ops. */
const FIRST_PLUGINS = ['serverless-esbuild', 'serverless-iam-roles-per-function']
const LAST_PLUGINS = ['@app/serverless-ops'] // alarms, dashboard, REST stage settings, prod live alias + canary

const PROVIDER = {
  name: 'aws',
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  stage: "${opt:stage, 'dev'}",
  region: "${opt:region, 'us-east-1'}",
  logRetentionInDays: '${param:logRetentionDays}',
  tracing: { lambda: true },
  environment: {
    STAGE: '${sls:stage}',
    POWERTOOLS_SERVICE_NAME: '${self:service}',
    POWERTOOLS_LOG_LEVEL: '${param:logLevel}',
    POWERTOOLS_METRICS_NAMESPACE: 'serverless-classics',
  },
}

const ESBUILD = {
  // Packagers and serverless-offline running at once in a service folder each pass their own work
  // folder (docs/service-conventions.md), so none wipes another's bundles.
  outputWorkFolder: "${env:ESBUILD_WORK_FOLDER, '.esbuild'}",
  bundle: true,
  minify: true,
  sourcemap: 'external',
  target: 'node22',
  platform: 'node',
  format: 'esm',
  outputFileExtension: '.mjs',
  // The nodejs22.x runtime ships AWS SDK v3: bundling it only costs cold start.
  exclude: ['@aws-sdk/*'],
  // Some CommonJS dependencies call require() at run time; ESM output needs it defined.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  mainFields: ['module', 'main'],
}

/**
 * Lambda's platform for npm: the shared provider's architecture, on Amazon Linux 2023 (glibc). The
 * versions are pinned, so npm's cache may answer without asking the registry again (--prefer-offline).
 */
const LAMBDA_PLATFORM_NPM_ARGS = [
  '--os=linux',
  `--cpu=${PROVIDER.architecture}`,
  '--libc=glibc',
  '--prefer-offline',
  '--no-audit',
  '--no-fund',
]

/**
 * sharp is a native addon: it cannot be bundled. serverless-esbuild installs it next to the bundle
 * with npm, for Lambda's platform rather than the packaging machine's (--os/--cpu/--libc pick
 * @img/sharp-linux-arm64 + @img/sharp-libvips-linux-arm64). Its version is read from the package
 * that depends on it (packages/images), so it is written down once. serverless-esbuild runs `npm
 * prune` after installing, and prune re-resolves optional dependencies for *this* machine (swapping
 * arm64 back to x64); installing again with the Lambda platform flags restores them. The zips are
 * checked by `expectSharpForLambda` (@app/images/testing) in each such service's packaging test.
 */
const SHARP_FOR_LAMBDA = {
  external: ['sharp'],
  packager: 'npm',
  packagePath: '../../packages/images/package.json',
  installExtraArgs: LAMBDA_PLATFORM_NPM_ARGS,
  packagerOptions: { scripts: [`npm install ${LAMBDA_PLATFORM_NPM_ARGS.join(' ')}`] },
}

const isPlainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Shared first, the service's keys over them; nested objects merge, anything else replaces. */
const merge = (shared, own) => {
  if (!isPlainObject(own)) return own === undefined || own === null ? shared : own
  const out = { ...shared }
  for (const [key, value] of Object.entries(own)) {
    out[key] = isPlainObject(value) && isPlainObject(shared[key]) ? merge(shared[key], value) : value
  }
  return out
}

/** The service's `custom.shape.<key>`, unresolved (osls resolves what we return). */
const own = async (key) => {
  // osls takes the service folder from its working directory too (scripts/serverless.js).
  const readConfiguration = require('serverless/lib/configuration/read')
  const configuration = await readConfiguration(join(process.cwd(), 'serverless.yml'))
  return configuration?.custom?.shape?.[key]
}

module.exports = {
  plugins: async () => [...FIRST_PLUGINS, ...((await own('plugins')) ?? []), ...LAST_PLUGINS],
  provider: async () => merge(PROVIDER, await own('provider')),
  esbuild: async () => merge(ESBUILD, await own('esbuild')),
  esbuildWithSharp: async () => merge(merge(ESBUILD, SHARP_FOR_LAMBDA), await own('esbuild')),
  // For tools that rebuild what a service's bundling is (benches): the shared block and the merge.
  ESBUILD,
  merge,
}
