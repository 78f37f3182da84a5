/**
 * serverless-offline's functions get the same environment as the wired ones (`cloud.lambda`): the
 * deployed function's environment resolved by the local cloud (./environment.ts) and its role
 * session's credentials. The local cloud writes them, per function name, to a file that
 * ./offline-preload.cjs reads in each worker thread before the handler loads.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Preloaded into serverless-offline (`node --require`). */
export const offlinePreload = join(import.meta.dirname, 'offline-preload.cjs')

export const offlineFunctionsFile = (dataDir: string) => join(dataDir, 'lambda', 'offline-functions.json')

/** What serverless-offline's own environment needs for the preload to find the file. */
export const offlineSandboxEnv = (dataDir: string) => ({
  LOCAL_CLOUD_FUNCTIONS_FILE: offlineFunctionsFile(dataDir),
})

export const writeOfflineFunctions = (dataDir: string, functions: Record<string, Record<string, string>>) => {
  const file = offlineFunctionsFile(dataDir)
  mkdirSync(dirname(file), { recursive: true })
  // It holds credentials: readable by this user only.
  writeFileSync(file, JSON.stringify(functions), { mode: 0o600 })
}
