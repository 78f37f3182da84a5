import { describe, expect, it } from 'vitest'
import { ENV, runOnUploadedPhoto, stepUnderTest } from '../../testing/functions'

const step = await stepUnderTest('adjustImageSize', () => import('./handler'))

describe('adjustImageSize handler', () => {
  it('writes the resized rendition of the uploaded photo into the configured data bucket', async () => {
    expect(await runOnUploadedPhoto(step, 1280, 960)).toMatchObject({
      result: { branch: 'resized', rendition: { width: 1024, height: 768, format: 'webp' } },
      written: [`${ENV.DATA_BUCKET}/photos/job-1/resized.webp`],
    })
  })
})
