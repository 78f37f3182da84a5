import { describe, expect, it } from 'vitest'
import { ENV, runOnUploadedPhoto, stepUnderTest } from '../../testing/functions'

const step = await stepUnderTest('extractMetadata', () => import('./handler'))

describe('extractMetadata handler', () => {
  it('stores the uploaded photo’s metadata as JSON in the configured data bucket', async () => {
    expect(await runOnUploadedPhoto(step, 320, 200)).toMatchObject({
      result: { branch: 'metadata', metadata: { width: 320 } },
      written: [`${ENV.DATA_BUCKET}/photos/job-1/metadata.json`],
    })
  })
})
