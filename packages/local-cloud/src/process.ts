/**
 * Child processes of the local cloud: spawned in their own process group so `stop()` (and our
 * exit handler) can end the whole tree (java, node, and whatever they fork) without leaving orphans.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'

export interface Child {
  readonly name: string
  readonly process: ChildProcess
  /** Last lines the child wrote (stdout and stderr), for error messages. */
  output(): string
  /** SIGTERM to the process group, SIGKILL if it is still alive after `graceMs`. */
  stop(graceMs?: number): Promise<void>
}

const running = new Set<ChildProcess>()

const killGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is already gone.
  }
}

const killAll = () => {
  for (const child of running) killGroup(child, 'SIGKILL')
}

// Last resort when the parent ends without calling stop() (a test worker torn down, an uncaught
// error): children live in their own process groups, so nothing else would end them. 'exit'
// handlers must be synchronous, so this only signals. Node runs no 'exit' handler when a signal
// ends the process, hence the signal hooks: when nobody else handles the signal (the dev CLI does,
// and stops gracefully), they kill the children and end the process the way the signal would have.
process.once('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const onSignal = () => {
    if (process.listenerCount(signal) > 1) return
    killAll()
    process.off(signal, onSignal)
    process.kill(process.pid, signal)
  }
  process.on(signal, onSignal)
}

export interface SpawnOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Echo the child's output with a `[name]` prefix (the dev CLI does; tests keep it for errors). */
  echo?: (line: string) => void
}

/**
 * Every child runs under a small guard process that leads its process group. The guard holds a pipe
 * from us on its stdin: if we die without stopping it (SIGKILL, a killed test worker), the pipe
 * closes and the guard kills the whole group, so a JVM is never left running on its own. A SIGTERM
 * to the group reaches the command directly; the guard waits for it and exits with its status.
 */
const guard = `
const { spawn } = require('node:child_process')
const [command, ...args] = process.argv.slice(1)
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] })
const killGroup = () => { try { process.kill(-process.pid, 'SIGKILL') } catch {} }
process.stdin.on('data', () => {}).on('end', killGroup).on('error', killGroup)
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal))
child.on('error', (error) => { console.error(error.message); process.exit(127) })
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15)))
`

export const spawnChild = (
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Child => {
  const child = spawn(process.execPath, ['-e', guard, '--', command, ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  // Never written to, never ended by us: it closes only when this process is gone.
  child.stdin?.on('error', () => {})
  running.add(child)
  child.once('exit', () => running.delete(child))
  const lines: string[] = []
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue
      lines.push(line)
      if (lines.length > 40) lines.shift()
      options.echo?.(`[${name}] ${line}`)
    }
  }
  child.stdout?.on('data', collect)
  child.stderr?.on('data', collect)
  return {
    name,
    process: child,
    output: () => lines.join('\n'),
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      killGroup(child, 'SIGTERM')
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
      // The leader may exit before its own children (pnpm -> node); make sure none outlive it.
      killGroup(child, 'SIGKILL')
    },
  }
}

export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'StartupError'
  }
}

/**
 * Polls `probe` until it resolves true. Fails as soon as the child exits (with its output), or
 * after `timeoutMs`. Readiness is observed, never assumed after a fixed sleep.
 */
export const waitUntilReady = async (
  name: string,
  probe: () => Promise<boolean>,
  options: {
    child?: Child
    timeoutMs?: number
    intervalMs?: number
    /** A reason to give up now (e.g. the child printed a fatal error but keeps running). */
    failed?: () => string | undefined
  } = {},
): Promise<void> => {
  const { child, timeoutMs = 60_000, intervalMs = 50, failed } = options
  const deadline = Date.now() + timeoutMs
  let exitReason: string | undefined
  const onExit = (code: number | null, signal: string | null) => {
    exitReason = `exited with ${signal ?? `code ${code}`}`
  }
  child?.process.once('exit', onExit)
  child?.process.once('error', (error) => {
    exitReason = `failed to start: ${error.message}`
  })
  try {
    for (;;) {
      exitReason ??= failed?.()
      if (exitReason)
        throw new StartupError(`${name} ${exitReason} before it was ready.\n${child?.output() ?? ''}`)
      if (await probe().catch(() => false)) return
      if (Date.now() > deadline) {
        throw new StartupError(`${name} was not ready after ${timeoutMs} ms.\n${child?.output() ?? ''}`)
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
  } finally {
    child?.process.off('exit', onExit)
  }
}

/** True once anything answers HTTP at `url` (any status: the stand-in is up and parsing requests). */
export const answersHttp =
  (url: string, init?: RequestInit): (() => Promise<boolean>) =>
  async () => {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) })
    await response.body?.cancel()
    return true
  }
