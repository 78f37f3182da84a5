/**
 * Loaded with `node --require` into serverless-offline (see ./local-iam.ts): in each of its worker
 * threads, before the handler is imported, puts that function's role session credentials into its
 * environment, as Lambda does. serverless-offline gives each worker the function's name
 * (AWS_LAMBDA_FUNCTION_NAME); the credentials come from a file only the local cloud writes. A
 * function it does not know keeps the credentials no stand-in accepts.
 */
const { isMainThread } = require('node:worker_threads')
const { readFileSync } = require('node:fs')

if (!isMainThread && process.env.LOCAL_CLOUD_CREDENTIALS_FILE && process.env.AWS_LAMBDA_FUNCTION_NAME) {
  let all = {}
  try {
    all = JSON.parse(readFileSync(process.env.LOCAL_CLOUD_CREDENTIALS_FILE, 'utf8'))
  } catch {
    // No file: the function keeps credentials that every local call refuses.
  }
  const own = all[process.env.AWS_LAMBDA_FUNCTION_NAME]
  if (own) {
    process.env.AWS_ACCESS_KEY_ID = own.accessKeyId
    process.env.AWS_SECRET_ACCESS_KEY = own.secretAccessKey
    process.env.AWS_SESSION_TOKEN = own.sessionToken
  }
  // The file's path is the runner's business, not the function's.
  delete process.env.LOCAL_CLOUD_CREDENTIALS_FILE
}
