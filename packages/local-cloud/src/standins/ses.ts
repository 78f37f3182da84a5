/** SES v2: aws-ses-v2-local. `GET /` is its web inbox, `GET /store` the sent mail as JSON. */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { assertPortFree } from '../ports'
import { answersHttp, spawnChild, waitUntilReady } from '../process'
import type { RunningStandIn, StandInOptions } from './types'

export interface RunningSes extends RunningStandIn {
  /** The web inbox (same server). */
  readonly inbox: string
}

export const startSes = async ({ port, echo }: StandInOptions): Promise<RunningSes> => {
  await assertPortFree(port, 'aws-ses-v2-local (SES)')
  const packageDir = dirname(createRequire(import.meta.url).resolve('aws-ses-v2-local/package.json'))
  const child = spawnChild(
    'ses',
    process.execPath,
    [join(packageDir, 'dist', 'cli.js'), '--host', '127.0.0.1', '--port', String(port)],
    echo ? { echo } : {},
  )
  const endpoint = `http://127.0.0.1:${port}`
  try {
    await waitUntilReady('aws-ses-v2-local', answersHttp(`${endpoint}/store`), { child })
  } catch (error) {
    await child.stop()
    throw error
  }
  return { endpoint, inbox: `${endpoint}/`, stop: () => child.stop() }
}
