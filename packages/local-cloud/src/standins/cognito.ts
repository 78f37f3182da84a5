/**
 * Cognito User Pools: cognito-local. It keeps its data in `./.cognito` of its working directory,
 * so the working directory is the data folder (`.local/cognito` for `pnpm dev`, a temp dir in tests).
 * HOST pins it to IPv4 and makes the token issuer `http://127.0.0.1:<port>/<poolId>`, the same
 * URL functions fetch the JWKS from.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { assertPortFree } from '../ports'
import { answersHttp, spawnChild, waitUntilReady } from '../process'
import type { RunningStandIn, StandInOptions } from './types'

export const startCognito = async ({ port, dataDir, echo }: StandInOptions): Promise<RunningStandIn> => {
  await assertPortFree(port, 'cognito-local (Cognito)')
  const packageDir = dirname(createRequire(import.meta.url).resolve('cognito-local/package.json'))
  const cwd = dataDir ?? mkdtempSync(join(tmpdir(), 'local-cloud-cognito-'))
  mkdirSync(cwd, { recursive: true })
  const child = spawnChild('cognito', process.execPath, [join(packageDir, 'lib', 'bin', 'start.js')], {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    ...(echo ? { echo } : {}),
  })
  const endpoint = `http://127.0.0.1:${port}`
  const stop = async () => {
    await child.stop()
    if (!dataDir) rmSync(cwd, { recursive: true, force: true })
  }
  try {
    await waitUntilReady('cognito-local', answersHttp(`${endpoint}/health`), { child })
  } catch (error) {
    await stop()
    throw error
  }
  return { endpoint, stop }
}
