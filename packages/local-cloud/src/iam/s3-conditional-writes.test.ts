import { describe, expect, it } from 'vitest'
import { conditionalWriteOf, conditionRefusal, keyLocks } from './s3-conditional-writes'

describe('S3 conditional writes', () => {
  it('finds the conditions of PutObject and CompleteMultipartUpload, not of parts or plain writes', () => {
    const star = { 'if-none-match': '*' }
    expect(conditionalWriteOf('PUT', '/b/photos/a%20b.jpg', 'X-Amz-Expires=300', star)).toEqual({
      bucket: 'b',
      key: 'photos/a%20b.jpg',
      conditions: { ifNoneMatch: '*' },
    })
    expect(conditionalWriteOf('POST', '/b/k', 'uploadId=1', { 'if-match': '"e"' })?.conditions).toEqual({
      ifMatch: '"e"',
    })
    expect(conditionalWriteOf('PUT', '/b/k', 'partNumber=1&uploadId=1', star)).toBeUndefined()
    expect(conditionalWriteOf('PUT', '/b/k', '', {})).toBeUndefined()
    expect(conditionalWriteOf('GET', '/b/k', '', star)).toBeUndefined()
    expect(conditionalWriteOf('PUT', '/b', '', star)).toBeUndefined()
  })

  it('refuses as S3 does: 412 when the key exists (If-None-Match: *) or its ETag differs (If-Match)', () => {
    expect(conditionRefusal({ ifNoneMatch: '*' }, undefined)).toBeUndefined()
    expect(conditionRefusal({ ifNoneMatch: '*' }, '"abc"')).toMatchObject({
      status: 412,
      code: 'PreconditionFailed',
    })
    expect(conditionRefusal({ ifNoneMatch: '"abc"' }, undefined)).toMatchObject({ status: 501 })
    expect(conditionRefusal({ ifMatch: '"abc"' }, '"abc"')).toBeUndefined()
    expect(conditionRefusal({ ifMatch: 'abc' }, '"abc"')).toBeUndefined()
    expect(conditionRefusal({ ifMatch: '"abc"' }, '"def"')).toMatchObject({ status: 412 })
    expect(conditionRefusal({ ifMatch: '"abc"' }, undefined)).toMatchObject({
      status: 404,
      code: 'NoSuchKey',
    })
  })

  it('decides racing writes of one key one after the other, other keys in parallel', async () => {
    const lock = keyLocks()
    const order: string[] = []
    let releaseFirst!: () => void
    const first = lock('b/k', async () => {
      order.push('first starts')
      await new Promise<void>((resolve) => {
        releaseFirst = resolve
      })
      order.push('first ends')
    })
    const second = lock('b/k', async () => {
      order.push('second starts')
    })
    await lock('b/other', async () => {
      order.push('other key')
    })
    releaseFirst()
    await Promise.all([first, second])
    expect(order).toEqual(['first starts', 'other key', 'first ends', 'second starts'])
  })
})
