/**
 * The root vitest reporter that shows, under a failing test, the last lines of the run's local
 * cloud log (test-setup.ts writes it and sets `LOCAL_CLOUD_LOG_FILE`): what the local functions
 * and stand-ins it called wrote just before it failed, instead of every line of the run.
 */
import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'
import type { Reporter, TestCase } from 'vitest/node'

/** How many of the log's last lines a failing test shows. */
const TAIL_LINES = 40

/**
 * Prints, under a failing test, the last lines of the run's log: what the local functions and
 * stand-ins it called wrote just before it failed (tests of one file run one after another).
 */
export default class LogTailReporter implements Reporter {
  onTestCaseResult(test: TestCase) {
    const file = process.env.LOCAL_CLOUD_LOG_FILE
    if (test.result().state !== 'failed' || !file || !existsSync(file)) return
    const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-TAIL_LINES)
    if (!tail.join('').trim()) return
    console.log(
      `\n--- last ${tail.length} log lines before "${test.fullName}" failed (${relative(process.cwd(), file)}) ---`,
    )
    console.log(tail.join('\n'))
  }
}
