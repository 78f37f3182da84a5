import { GetObjectCommand } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { ENV, loadHandler, mockedAws, objectBody, putKeys } from '../../testing/functions'
import { workKey } from '../../text/steps'

const aws = mockedAws()
const { handler } = await loadHandler(() => import('./handler'))

describe('removeWhitespace handler', () => {
  it('collapses the whitespace of an S3 text into its work object in the configured data bucket', async () => {
    aws.s3.on(GetObjectCommand).resolves({ Body: objectBody('Hello    world') as never })
    const source = { kind: 's3', bucket: ENV.DATA_BUCKET, key: 'texts/inputs/a.txt' }
    const next = await handler({ jobId: 'job-1', owner: 'u1', topN: 10, source })
    expect(next.source).toEqual({ kind: 's3', bucket: ENV.DATA_BUCKET, key: workKey('job-1', 'collapsed') })
    expect(putKeys(aws.s3)).toEqual([`${ENV.DATA_BUCKET}/${workKey('job-1', 'collapsed')}`])
  })
})
