import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { StartupError, spawnChild, waitUntilReady } from './process'

const node = (script: string) => spawnChild('test-child', process.execPath, ['-e', script])

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('child processes', () => {
  it('fails readiness with the child’s own output when it exits first', async () => {
    const child = node('console.error("listen EADDRINUSE 127.0.0.1:8000"); process.exit(3)')
    const waiting = waitUntilReady('stand-in', async () => false, { child })
    await expect(waiting).rejects.toThrow(StartupError)
    await expect(waiting).rejects.toThrow(
      /stand-in exited with code 3 before it was ready\.\nlisten EADDRINUSE/,
    )
  })

  it('stops waiting as soon as `failed` reports a reason, and stop() ends the child', async () => {
    const child = node('console.log("Error: bad template"); setInterval(() => {}, 1000)')
    const waiting = waitUntilReady('offline', async () => false, {
      child,
      failed: () => (/^Error:/m.test(child.output()) ? 'failed' : undefined),
    })
    await expect(waiting).rejects.toThrow('offline failed before it was ready')
    await child.stop()
    expect(child.process.exitCode !== null || child.process.signalCode !== null).toBe(true)
  })

  it('stop() ends the whole process group, grandchildren included (no orphans)', async () => {
    const child = node(
      'const { spawn } = require("node:child_process");' +
        'const grandchild = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });' +
        'console.log("grandchild " + grandchild.pid); setInterval(() => {}, 1000)',
    )
    let grandchild = 0
    await waitUntilReady('parent', async () => {
      grandchild = Number(/grandchild (\d+)/.exec(child.output())?.[1] ?? 0)
      return grandchild > 0
    })
    expect(alive(grandchild)).toBe(true)
    await child.stop()
    // The grandchild is re-parented and reaped once killed; wait for that, bounded.
    await waitUntilReady('grandchild gone', async () => !alive(grandchild), { timeoutMs: 10_000 })
    expect(alive(grandchild)).toBe(false)
  })

  it('ends the children of a parent killed with SIGKILL (the guard sees its pipe close)', async () => {
    const script =
      `import { spawnChild } from ${JSON.stringify(`${import.meta.dirname}/process.ts`)};` +
      `const child = spawnChild('sleeper', process.execPath, ['-e', 'setInterval(() => {}, 1000)']);` +
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source code of the child, evaluated there
      'console.log(`group ${child.process.pid}`); setInterval(() => {}, 1000)'
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    parent.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    let group = 0
    await waitUntilReady('parent', async () => {
      group = Number(/group (\d+)/.exec(output)?.[1] ?? 0)
      return group > 0
    })
    expect(groupAlive(group)).toBe(true)
    parent.kill('SIGKILL')
    await waitUntilReady('children gone', async () => !groupAlive(group), { timeoutMs: 10_000 })
    expect(groupAlive(group)).toBe(false)
  })
})
