import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { NotFoundError, ValidationError } from '@app/domain'
import { isTransientFault } from '@app/domain/failures'
import { ImageError } from '@app/images'
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TransientError, toStepError } from './step-errors'

/** A tiny S3 look-alike that answers every request with the given status and S3 error code. */
let server: Server
let status = 503
let code = 'SlowDown'
beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/xml' })
    response.end(`<?xml version="1.0"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const s3Failure = async (): Promise<unknown> => {
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  })
  try {
    return await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })).then(
      () => undefined,
      (error: unknown) => error,
    )
  } finally {
    client.destroy()
  }
}

describe('toStepError', () => {
  it('turns S3 throttling and 5xx answers into TransientError, which the machines retry', async () => {
    status = 503
    code = 'SlowDown'
    const error = await s3Failure()
    expect(isTransientFault(error)).toBe(true)
    expect(toStepError(error)).toBeInstanceOf(TransientError)
    expect(toStepError(error).name).toBe('TransientError')
    status = 500
    code = 'InternalError'
    expect(toStepError(await s3Failure()).name).toBe('TransientError')
  })

  it('keeps a missing object or access denial final', async () => {
    status = 404
    code = 'NoSuchKey'
    expect(toStepError(await s3Failure()).name).toBe('NoSuchKey')
    status = 403
    code = 'AccessDenied'
    expect(toStepError(await s3Failure()).name).toBe('AccessDenied')
  })

  it('keeps domain errors as they are', () => {
    const invalid = new ValidationError('bad')
    expect(toStepError(invalid)).toBe(invalid)
    expect(toStepError(new NotFoundError('gone')).name).toBe('NotFoundError')
  })

  it('retries image failures only when the image package says another attempt may succeed', () => {
    expect(toStepError(new ImageError('internal', 'vips crashed')).name).toBe('TransientError')
    expect(toStepError(new ImageError('not-an-image', 'text file')).name).toBe('ImageError')
    expect(toStepError(new ImageError('too-many-pixels', 'bomb')).name).toBe('ImageError')
  })

  it('treats network errors and unknown errors as transient (the one classifier’s default: retry)', () => {
    expect(toStepError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).name).toBe('TransientError')
    expect(toStepError(new TypeError('bug')).name).toBe('TransientError')
    expect(toStepError('a string').message).toBe('Error: a string')
  })
})
