import { describe, expect, it } from 'vitest'
import { ENV, runOnS3Text, stepUnderTest } from '../../testing/functions'
import { workKey } from '../../use-cases/text'

const step = await stepUnderTest('removeWhitespace', () => import('./handler'))

describe('removeWhitespace handler', () => {
  it('collapses the whitespace of an S3 text into its work object in the configured data bucket', async () => {
    expect(await runOnS3Text(step, 'Hello    world')).toEqual({
      source: { kind: 's3', bucket: ENV.DATA_BUCKET, key: workKey('job-1', 'collapsed') },
      written: [`${ENV.DATA_BUCKET}/${workKey('job-1', 'collapsed')}`],
    })
  })
})
