/**
 * serverless-offline for one service: `sls offline start` in the service folder, with the local
 * cloud's function environment. `--localEnvironment` hands that environment to the handlers (by
 * default serverless-offline 14 passes only `AWS_*` variables); the same variables also reach
 * `${env:X, ...}` in serverless.yml, which is how a template points a setting at a stand-in locally.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { offlinePreload } from './lambda/offline-sandbox'
import { assertPortFree } from './ports'
import { answersHttp, type Child, spawnChild, waitUntilReady } from './process'

export interface OfflineOptions {
  name: string
  dir: string
  rootDir: string
  stage: string
  httpPort: number
  lambdaPort: number
  /** serverless-offline's WebSocket port; given, the start waits on it (a WebSocket-only service opens no HTTP port). */
  websocketPort?: number
  params: Record<string, string>
  env: Record<string, string>
  echo?: (line: string) => void
  /** Names the bundle and temp folders (default: the HTTP port). */
  workFolderKey?: string
  /** Keep the bundle folder after stop (`pnpm dev`: the next start finds external modules installed). */
  keepWorkFolder?: boolean
  /** Called as soon as the child exists, so a failed start can still be cleaned up. */
  onStarted?: (child: Child) => void
}

/** serverless-offline takes `AUTHORIZER` from its environment as a fake authorizer result for every request. */
const withoutAuthorizerOverride = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const { AUTHORIZER: _ignored, ...rest } = env
  return rest
}

export const startOffline = async (options: OfflineOptions): Promise<Child> => {
  const { name, dir, rootDir, stage, httpPort, lambdaPort, params, env, echo, onStarted, keepWorkFolder } =
    options
  const folderKey = options.workFolderKey ?? String(httpPort)
  await assertPortFree(httpPort, `serverless-offline of ${name} (HTTP)`)
  await assertPortFree(lambdaPort, `serverless-offline of ${name} (Lambda)`)
  const { websocketPort } = options
  if (websocketPort !== undefined)
    await assertPortFree(websocketPort, `serverless-offline of ${name} (WebSocket)`)
  const args = [
    // Gives each function's worker thread its deployed environment and credentials (./lambda/offline-sandbox.ts).
    '--require',
    offlinePreload,
    join(rootDir, 'node_modules', 'serverless', 'bin', 'serverless.js'),
    'offline',
    'start',
    '--stage',
    stage,
    '--host',
    '127.0.0.1',
    '--httpPort',
    String(httpPort),
    '--lambdaPort',
    String(lambdaPort),
    ...(websocketPort === undefined ? [] : ['--websocketPort', String(websocketPort)]),
    '--localEnvironment',
    ...Object.entries(params).flatMap(([key, value]) => ['--param', `${key}=${value}`]),
  ]
  // Each run bundles into a folder of its own: two runs of one service (pnpm dev and a test run, or
  // two test runs) sharing `.esbuild/` overwrite each other's bundles and race in its `npm install`,
  // and `sls package` deletes `.esbuild/` outright. Inside the service's node_modules, so the bundles
  // still resolve the service's dependencies (`@aws-sdk/*` is excluded from bundles). Takes effect
  // where serverless.yml says `custom.esbuild.outputWorkFolder: ${env:ESBUILD_WORK_FOLDER, '.esbuild'}`.
  const workFolder = join('node_modules', '.cache', 'local-cloud', `offline-${folderKey}`)
  // serverless-esbuild and osls leave a folder per function in the temp directory; give them one
  // of ours, removed at stop.
  const tempFolder = join(dir, 'node_modules', '.cache', 'local-cloud', `tmp-${folderKey}`)
  mkdirSync(tempFolder, { recursive: true })
  const child = spawnChild(`${name}:offline`, process.execPath, args, {
    cwd: dir,
    env: {
      ...withoutAuthorizerOverride(process.env),
      ...env,
      ESBUILD_WORK_FOLDER: workFolder,
      TMPDIR: tempFolder,
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
    },
    ...(echo ? { echo } : {}),
  })
  const stop = child.stop
  const withCleanup: Child = {
    ...child,
    async stop(graceMs) {
      await stop(graceMs)
      rmSync(tempFolder, { recursive: true, force: true })
      if (!keepWorkFolder) rmSync(join(dir, workFolder), { recursive: true, force: true })
    },
  }
  onStarted?.(withCleanup)
  // First start bundles every function with esbuild: allow for it on a busy 2-core machine.
  // serverless-offline opens its HTTP port only for http/httpApi events, the WebSocket port (which
  // also answers HTTP: the @connections API) only for websocket events.
  const readyPort = websocketPort ?? httpPort
  await waitUntilReady(`serverless-offline (${name})`, answersHttp(`http://127.0.0.1:${readyPort}/`), {
    child,
    timeoutMs: 120_000,
    intervalMs: 100,
    // osls reports a failed start (a bad template, a plugin error) with an `Error:` line, but with
    // serverless-offline's watchers running the process may not exit: stop waiting at once.
    failed: () => (/^Error:/m.test(child.output()) ? 'failed' : undefined),
  })
  return withCleanup
}
