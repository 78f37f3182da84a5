/**
 * serverless-offline for one service: `sls offline start` in the service folder, with the local
 * cloud's function environment. `--localEnvironment` hands that environment to the handlers (by
 * default serverless-offline 14 passes only `AWS_*` variables); the same variables also reach
 * `${env:X, ...}` in serverless.yml, which is how a template points a setting at a stand-in locally.
 */
import { join } from 'node:path'
import { assertPortFree } from './ports'
import { answersHttp, type Child, spawnChild, waitUntilReady } from './process'

export interface OfflineOptions {
  name: string
  dir: string
  rootDir: string
  stage: string
  httpPort: number
  lambdaPort: number
  params: Record<string, string>
  env: Record<string, string>
  echo?: (line: string) => void
  /** Called as soon as the child exists, so a failed start can still be cleaned up. */
  onStarted?: (child: Child) => void
}

export const startOffline = async (options: OfflineOptions): Promise<Child> => {
  const { name, dir, rootDir, stage, httpPort, lambdaPort, params, env, echo, onStarted } = options
  await assertPortFree(httpPort, `serverless-offline of ${name} (HTTP)`)
  await assertPortFree(lambdaPort, `serverless-offline of ${name} (Lambda)`)
  const args = [
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
    '--localEnvironment',
    ...Object.entries(params).flatMap(([key, value]) => ['--param', `${key}=${value}`]),
  ]
  const child = spawnChild(`${name}:offline`, process.execPath, args, {
    cwd: dir,
    env: { ...process.env, ...env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
    ...(echo ? { echo } : {}),
  })
  onStarted?.(child)
  // First start bundles every function with esbuild: allow for it on a busy 2-core machine.
  await waitUntilReady(`serverless-offline (${name})`, answersHttp(`http://127.0.0.1:${httpPort}/`), {
    child,
    timeoutMs: 120_000,
    intervalMs: 100,
    // osls reports a failed start (a bad template, a plugin error) with an `Error:` line, but with
    // serverless-offline's watchers running the process may not exit: stop waiting at once.
    failed: () => (/^Error:/m.test(child.output()) ? 'failed' : undefined),
  })
  return child
}
