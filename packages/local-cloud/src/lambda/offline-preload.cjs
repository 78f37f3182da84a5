/**
 * Loaded with `node --require` into serverless-offline (see ./offline-sandbox.ts): in each of its
 * worker threads, before the handler is imported, puts the function's deployed environment in
 * place, as the local cloud resolved it (intrinsics against the local resources, where
 * serverless-offline leaves `${AWS::Region}` and friends as text) and with its role session's
 * credentials, as Lambda does. serverless-offline names the function in AWS_LAMBDA_FUNCTION_NAME;
 * the file is written by the local cloud only. A function it does not know keeps what
 * serverless-offline gave it (with no usable credentials: see ../iam/local-iam.ts).
 */
const { isMainThread } = require('node:worker_threads')
const { readFileSync } = require('node:fs')

// serverless-offline's own thread: bundles of unchanged functions are reused from the last start.
if (isMainThread) require('./esbuild-cache.cjs').install()

const file = process.env.LOCAL_CLOUD_FUNCTIONS_FILE
if (!isMainThread && file && process.env.AWS_LAMBDA_FUNCTION_NAME) {
  let all = {}
  try {
    all = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    // No file yet: the function keeps serverless-offline's environment.
  }
  const own = all[process.env.AWS_LAMBDA_FUNCTION_NAME]
  if (own) Object.assign(process.env, own)
  // The file's path is the runner's business, not the function's.
  delete process.env.LOCAL_CLOUD_FUNCTIONS_FILE
}
