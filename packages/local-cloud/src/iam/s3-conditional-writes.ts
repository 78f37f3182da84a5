/**
 * S3 conditional writes (`If-None-Match: *`, `If-Match: <etag>` on PutObject and
 * CompleteMultipartUpload), as S3 enforces them: s3rver ignores both headers on writes, so the
 * gateway that authenticates the request checks them against the object as stored, before the
 * write reaches s3rver (so a refused write stores nothing and notifies nobody). A write that
 * carries a condition holds its key until s3rver answered: two racing writes are decided one after
 * the other, as S3 decides them atomically.
 */
import { request as httpRequest } from 'node:http'

export interface WriteConditions {
  ifNoneMatch?: string
  ifMatch?: string
}

export type ConditionRefusal = { code: string; message: string; status: number }

const PRECONDITION_FAILED: ConditionRefusal = {
  code: 'PreconditionFailed',
  message: 'At least one of the pre-conditions you specified did not hold',
  status: 412,
}

/** An S3 write that may carry conditions: PutObject (not UploadPart) or CompleteMultipartUpload. */
export const conditionalWriteOf = (
  method: string,
  path: string,
  query: string,
  headers: Readonly<Record<string, string>>,
): { bucket: string; key: string; conditions: WriteConditions } | undefined => {
  const [, bucket = '', ...rest] = path.split('/')
  const key = rest.join('/')
  if (!bucket || !key) return undefined
  const params = new URLSearchParams(query)
  const isPut = method === 'PUT' && !params.has('partNumber') && !params.has('tagging') && !params.has('acl')
  const isComplete = method === 'POST' && params.has('uploadId')
  if (!isPut && !isComplete) return undefined
  const conditions: WriteConditions = {
    ...(headers['if-none-match'] !== undefined ? { ifNoneMatch: headers['if-none-match'] } : {}),
    ...(headers['if-match'] !== undefined ? { ifMatch: headers['if-match'] } : {}),
  }
  if (conditions.ifNoneMatch === undefined && conditions.ifMatch === undefined) return undefined
  return { bucket, key, conditions }
}

const unquoted = (etag: string) => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '')

/**
 * S3's verdict on a conditional write, given the object's current ETag (undefined: no such key).
 * `If-None-Match` takes only `*` (anything else is S3's 501 NotImplemented).
 */
export const conditionRefusal = (
  conditions: WriteConditions,
  currentEtag: string | undefined,
): ConditionRefusal | undefined => {
  if (conditions.ifNoneMatch !== undefined) {
    if (conditions.ifNoneMatch.trim() !== '*')
      return {
        code: 'NotImplemented',
        message: 'A header you provided implies functionality that is not implemented',
        status: 501,
      }
    if (currentEtag !== undefined) return PRECONDITION_FAILED
  }
  if (conditions.ifMatch !== undefined) {
    if (currentEtag === undefined)
      return { code: 'NoSuchKey', message: 'The specified key does not exist.', status: 404 }
    if (unquoted(conditions.ifMatch) !== unquoted(currentEtag)) return PRECONDITION_FAILED
  }
  return undefined
}

/** The stored object's ETag through s3rver (unauthenticated HEAD: s3rver has no access control). */
export const currentEtagOf = (upstream: string, bucket: string, key: string): Promise<string | undefined> =>
  new Promise((resolve, reject) => {
    const url = new URL(upstream)
    const head = httpRequest(
      { host: url.hostname, port: url.port, method: 'HEAD', path: `/${bucket}/${key}` },
      (answer) => {
        answer.resume()
        if (answer.statusCode === 404) return resolve(undefined)
        if (answer.statusCode !== 200)
          return reject(new Error(`HEAD /${bucket}/${key} answered ${answer.statusCode}`))
        resolve(String(answer.headers.etag ?? ''))
      },
    )
    head.on('error', reject)
    head.end()
  })

/** One conditional write per key at a time: `run` holds the key until the promise it returns settles. */
export const keyLocks = () => {
  const tails = new Map<string, Promise<void>>()
  return async <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const before = tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = before.then(() => mine)
    tails.set(key, tail)
    await before
    try {
      return await run()
    } finally {
      release()
      if (tails.get(key) === tail) tails.delete(key)
    }
  }
}
