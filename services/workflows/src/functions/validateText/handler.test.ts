import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { ENV, stepUnderTest } from '../../testing/functions'

const { aws, run } = await stepUnderTest('validateText', () => import('./handler'))
const job = (bucket: string) => ({
  jobId: 'job-1',
  owner: 'u1',
  source: { kind: 's3', bucket, key: 'texts/inputs/a.txt' },
})

describe('validateText handler', () => {
  it('checks an S3 text in the configured data bucket, and refuses other buckets as final', async () => {
    aws.s3.on(HeadObjectCommand).resolves({ ContentLength: 12 })
    expect(await run(job(ENV.DATA_BUCKET))).toMatchObject(job(ENV.DATA_BUCKET))
    expect(aws.s3.commandCalls(HeadObjectCommand)[0]?.args[0].input.Bucket).toBe(ENV.DATA_BUCKET)
    await expect(run(job('someone-elses'))).rejects.toMatchObject({ name: 'ValidationError' })
  })

  it('turns an S3 throttle into TransientError for the machine’s Retry', async () => {
    aws.s3.on(HeadObjectCommand).rejects(Object.assign(new Error('slow'), { name: 'SlowDown' }))
    await expect(run(job(ENV.DATA_BUCKET))).rejects.toMatchObject({ name: 'TransientError' })
  })
})
