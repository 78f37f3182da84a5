/**
 * A local function: the handler of a serverless.yml function, run with exactly the environment
 * the deployed function gets (./environment.ts), for the event wiring of `pnpm dev` and the tests
 * (DynamoDB streams, S3 -> SNS -> SQS, Step Functions tasks).
 *
 * Why a worker thread per function: handlers and the shared packages they import read
 * `process.env` at module scope (`readConfig`, the Powertools logger's service name, the metrics
 * namespace), and an ES module is evaluated once per thread. Imported in the runner's own thread,
 * every function would share one `@app/runtime` logger built with whichever environment happened
 * to be there first (`service_undefined`, `default_namespace`), and setting `process.env` around an
 * import cannot fix modules already loaded. A worker has its own module graph and its own copy of
 * `process.env` (the `env` option), so each function gets Lambda's isolation: one sandbox per
 * function, its environment in place before its first import, nothing from the runner's
 * environment or from other functions. It is what serverless-offline does for HTTP functions too.
 *
 * Like Lambda, the sandbox starts on the first invocation (a cold start: the worker imports the
 * handler, TypeScript through tsx, in ~1-4 s on a busy 2-core machine) and stays warm until
 * `stop`; a failed init fails that invocation and the next one tries again. Unlike Lambda,
 * concurrent invocations share the one sandbox (as the in-process handlers did before), and the
 * function's timeout is reported by `getRemainingTimeInMillis` but not enforced.
 */
import { appendFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'

/** The account id of local ARNs (the stand-ins' own). */
const localAccountId = '000000000000'

export interface LocalFunctionOptions {
  /** The deployed function name (logs' `function_name`, the context, the ARN). */
  name: string
  /** The service folder: `handler` is relative to it. */
  serviceDir: string
  /** serverless.yml's `handler`: `src/functions/x/handler.handler`. */
  handler: string
  /** Everything the handler's `process.env` holds (`lambdaDefinition(...).environment`). */
  environment: Readonly<Record<string, string>>
  memorySize?: number
  timeoutSeconds?: number
  region?: string
  /**
   * Receives the function's stdout and stderr, line by line (its logs, EMF metrics). Default: the
   * run's log file when `LOCAL_CLOUD_LOG_FILE` names one (test runs, see test-setup.ts), otherwise
   * this process's stdout and stderr, where in-process handlers used to write.
   */
  output?: (line: string, stream: 'stdout' | 'stderr') => void
}

export interface LocalFunction {
  readonly name: string
  readonly environment: Readonly<Record<string, string>>
  /** Invokes the handler with `event` (JSON-serialisable) as Lambda would; the result comes back JSON-serialised. */
  invoke<Result = unknown>(event: unknown): Promise<Result>
  /** Starts the sandbox without invoking it (the cold start); resolves once the handler is loaded. */
  warm(): Promise<void>
  /** Ends the sandbox (a later `invoke` starts a new one). */
  stop(): Promise<void>
}

/** What the worker gets (./worker.ts). */
export interface WorkerInit {
  name: string
  handler: string
  handlerUrl: string
  exportName: string
  memorySize: number
  timeoutSeconds: number
  region: string
  accountId: string
}

export interface ToWorker {
  id: number
  event: unknown
  awsRequestId: string
}

interface SerialisedError {
  name: string
  message: string
  stack?: string
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'init-error'; error: SerialisedError }
  | { type: 'result'; id: number; value?: unknown; error?: SerialisedError }

const revive = (serialised: SerialisedError): Error => {
  const error = new Error(serialised.message)
  error.name = serialised.name
  if (serialised.stack) error.stack = serialised.stack
  return error
}

const extensions = ['.ts', '.mts', '.js', '.mjs']

/** `src/functions/x/handler.handler` -> the module file (TypeScript here, the bundle in Lambda) and export. */
const handlerModule = (serviceDir: string, handler: string) => {
  const at = handler.lastIndexOf('.')
  const base = join(serviceDir, handler.slice(0, at))
  const file = extensions.map((extension) => base + extension).find((candidate) => existsSync(candidate))
  if (!file) throw new Error(`${handler}: no ${base}{${extensions.join(',')}}`)
  return { url: pathToFileURL(file).href, exportName: handler.slice(at + 1) }
}

// tsx, the root devDependency `pnpm dev` itself runs on, lets the worker import TypeScript.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const workerFile = new URL('./worker.ts', import.meta.url)

const lines = (onLine: (line: string) => void) => {
  let rest = ''
  return {
    push(chunk: Buffer | string) {
      const parts = (rest + chunk.toString()).split('\n')
      rest = parts.pop() ?? ''
      for (const line of parts) onLine(line)
    },
    flush() {
      if (rest) onLine(rest)
      rest = ''
    },
  }
}

interface Sandbox {
  worker: Worker
  ready: Promise<void>
  /** Fails `ready` (a no-op once it settled). */
  abort: (error: Error) => void
  pending: Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>
}

/** A function in a worker thread of its own, started at its first invocation (see the file comment). */
/** Lines of `name` appended to the run's log file (`LOCAL_CLOUD_LOG_FILE`), or undefined without one. */
const logFileOutput = (name: string): LocalFunctionOptions['output'] => {
  const file = process.env.LOCAL_CLOUD_LOG_FILE
  return file ? (line) => appendFileSync(file, `[${name}] ${line}\n`) : undefined
}

export const startLocalFunction = (options: LocalFunctionOptions): LocalFunction => {
  const region = options.region ?? options.environment.AWS_REGION ?? 'us-east-1'
  const { url, exportName } = handlerModule(options.serviceDir, options.handler)
  const init: WorkerInit = {
    name: options.name,
    handler: options.handler,
    handlerUrl: url,
    exportName,
    memorySize: options.memorySize ?? 1024,
    timeoutSeconds: options.timeoutSeconds ?? 6,
    region,
    accountId: localAccountId,
  }
  let sandbox: Sandbox | undefined
  let nextId = 0

  const end = (ended: Sandbox, error: Error) => {
    if (sandbox === ended) sandbox = undefined
    for (const { reject } of ended.pending.values()) reject(error)
    ended.pending.clear()
    void ended.worker.terminate()
  }

  const start = (): Sandbox => {
    const output = options.output ?? logFileOutput(options.name)
    const worker = new Worker(workerFile, {
      workerData: init,
      // Exactly the function's environment: nothing of this process's (and its own copy).
      env: { ...options.environment },
      execArgv: ['--import', tsxLoader],
      name: options.name,
      ...(output ? { stdout: true, stderr: true } : {}),
    })
    if (output) {
      for (const stream of ['stdout', 'stderr'] as const) {
        const splitter = lines((line) => output(line, stream))
        worker[stream].on('data', (chunk: Buffer) => splitter.push(chunk))
        worker[stream].on('end', () => splitter.flush())
      }
    }
    // Idle sandboxes never keep the process alive; one with invocations in flight does.
    worker.unref()
    let readyResolve!: () => void
    let readyReject!: (error: Error) => void
    const current: Sandbox = {
      worker,
      ready: new Promise<void>((resolve, reject) => {
        readyResolve = resolve
        readyReject = reject
      }),
      abort: (error) => readyReject(error),
      pending: new Map(),
    }
    // Observed by the invocation that started the sandbox; never an unhandled rejection.
    current.ready.catch(() => {})
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') return readyResolve()
      if (message.type === 'init-error') {
        const error = revive(message.error)
        readyReject(error)
        return end(current, error)
      }
      const call = current.pending.get(message.id)
      if (!call) return
      current.pending.delete(message.id)
      if (current.pending.size === 0) worker.unref()
      if (message.error) call.reject(revive(message.error))
      else call.resolve(message.value)
    })
    // An uncaught exception or unhandled rejection ends the sandbox, as it ends Lambda's runtime.
    worker.on('error', (error) => {
      readyReject(error)
      end(current, error)
    })
    worker.on('exit', (code) => {
      const error = new Error(`${options.name}: the runtime exited with code ${code}`)
      error.name = 'Runtime.ExitError'
      readyReject(error)
      end(current, error)
    })
    return current
  }

  return {
    name: options.name,
    environment: options.environment,
    async invoke<Result>(event: unknown): Promise<Result> {
      sandbox ??= start()
      const current = sandbox
      current.worker.ref()
      try {
        await current.ready
      } catch (error) {
        if (current.pending.size === 0) current.worker.unref()
        throw error
      }
      // Ended (crashed, stopped) while this invocation waited for it.
      if (sandbox !== current) throw new Error(`${options.name}: the sandbox ended before the invocation`)
      const id = nextId++
      const result = new Promise<unknown>((resolve, reject) => current.pending.set(id, { resolve, reject }))
      current.worker.postMessage({ id, event, awsRequestId: crypto.randomUUID() } satisfies ToWorker)
      return (await result) as Result
    },
    async warm() {
      sandbox ??= start()
      const current = sandbox
      current.worker.ref()
      try {
        await current.ready
      } finally {
        if (current.pending.size === 0) current.worker.unref()
      }
    },
    async stop() {
      const current = sandbox
      if (!current) return
      sandbox = undefined
      const error = new Error(`${options.name}: stopped`)
      current.abort(error)
      for (const { reject } of current.pending.values()) reject(error)
      current.pending.clear()
      current.worker.removeAllListeners('exit')
      await current.worker.terminate()
    },
  }
}
