import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../ports'
import { JavaMissingError, startDynamoDb } from './dynamodb'

describe('DynamoDB Local without Java', () => {
  it('says Java is missing and how to install it', async () => {
    const start = startDynamoDb({ port: await freePort(), java: '/nonexistent/bin/java' })
    await expect(start).rejects.toThrow(JavaMissingError)
    await expect(start).rejects.toThrow(
      'DynamoDB Local needs Java 17+, but `/nonexistent/bin/java` was not found. Install it with: apt-get install -y openjdk-17-jre-headless',
    )
  })
})

/** The pids of running JVMs (not the guard around one) whose command line holds every one of `parts`. */
const jvmsWith = (...parts: string[]): number[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
        return /(^|\/)java$/.test(args[0] ?? '') && parts.every((part) => args.includes(part))
      } catch {
        return false
      }
    })
    .map(Number)

describe('DynamoDB Local and the temp directory', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'dynamodb-temp-test-'))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('writes its temp files only into the folder it is given, and removes that folder at stop', async () => {
    const tempDir = join(scratch, 'tmp', 'dynamodb')
    const port = await freePort()
    const dynamodb = await startDynamoDb({ port, tempDir })
    try {
      const [jvm] = jvmsWith('-port', String(port), `-Djava.io.tmpdir=${tempDir}`)
      expect(jvm).toBeTypeOf('number')
      expect(readFileSync(`/proc/${jvm}/environ`, 'utf8').split('\0')).toContain(`TMPDIR=${tempDir}`)
      // The one file a JVM puts in /tmp whatever java.io.tmpdir says, left there when it is killed.
      expect(existsSync(`/tmp/hsperfdata_${userInfo().username}/${jvm}`)).toBe(false)
    } finally {
      await dynamodb.stop()
    }
    expect(existsSync(tempDir)).toBe(false)
  }, 60_000)
})
