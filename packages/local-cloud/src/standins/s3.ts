/**
 * S3: s3rver, in this process. It has to be in-process: its `event` emitter (real S3 notification
 * records) is how the local cloud wires bucket notifications, and it only fires in the same process.
 */
import type { EventEmitter } from 'node:events'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assertPortFree } from '../ports'
import type { RunningStandIn, StandInOptions } from './types'

interface S3rverInstance extends EventEmitter {
  run(): Promise<{ port: number }>
  close(): Promise<void>
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance

/** s3rver accepts any key pair once signatures are not checked; these are the ones its docs use. */
export const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const

export interface RunningS3 extends RunningStandIn {
  /** s3rver's emitter: `on('event', record)` receives S3 notification records. */
  readonly events: EventEmitter
}

export const startS3 = async ({ port, dataDir }: StandInOptions): Promise<RunningS3> => {
  await assertPortFree(port, 's3rver (S3)')
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass
  const directory = dataDir ?? mkdtempSync(join(tmpdir(), 'local-cloud-s3-'))
  mkdirSync(directory, { recursive: true })
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    silent: true,
    directory,
    // Path-style only: the SDK clients use forcePathStyle against a stand-in.
    vhostBuckets: false,
    // Clients sign with whatever credentials their environment has; S3 auth is not what we test locally.
    allowMismatchedSignatures: true,
  })
  await server.run()
  return {
    endpoint: `http://127.0.0.1:${port}`,
    events: server,
    async stop() {
      await server.close()
      if (!dataDir) rmSync(directory, { recursive: true, force: true })
    },
  }
}
