/**
 * Inside the worker thread of one local function (see ./runtime.ts): its "init" imports the
 * handler module (module scope reads this worker's own `process.env`, which is exactly the
 * function's environment), then each invocation message runs the handler with a Lambda context.
 * Results cross back JSON-serialised, as Lambda returns them; errors as name, message and stack.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { Context } from 'aws-lambda'
import type { FromWorker, ToWorker, WorkerInit } from './runtime'

const port = parentPort
if (!port) throw new Error('lambda/worker.ts runs in a worker thread only (startLocalFunction)')
const init = workerData as WorkerInit

const serialise = (error: unknown) =>
  error instanceof Error
    ? { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) }
    : { name: 'Error', message: String(error) }

const context = (awsRequestId: string): Context => {
  const deadline = Date.now() + init.timeoutSeconds * 1000
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: init.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${init.region}:${init.accountId}:function:${init.name}`,
    memoryLimitInMB: String(init.memorySize),
    awsRequestId,
    logGroupName: `/aws/lambda/${init.name}`,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }
}

const send = (message: FromWorker) => port.postMessage(message)

let handler: (event: unknown, context: Context) => unknown
try {
  const module = (await import(init.handlerUrl)) as Record<string, unknown>
  const exported = module[init.exportName]
  if (typeof exported !== 'function')
    throw new Error(`${init.handler}: the module exports no function ${init.exportName}`)
  handler = exported as typeof handler
  send({ type: 'ready' })
} catch (error) {
  send({ type: 'init-error', error: serialise(error) })
}

port.on('message', async ({ id, event, awsRequestId }: ToWorker) => {
  try {
    const value = await handler(event, context(awsRequestId))
    send({ type: 'result', id, value: value === undefined ? undefined : JSON.parse(JSON.stringify(value)) })
  } catch (error) {
    send({ type: 'result', id, error: serialise(error) })
  }
})
