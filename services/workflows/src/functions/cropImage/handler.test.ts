import { describe, expect, it } from 'vitest'
import { ENV, runOnUploadedPhoto, stepUnderTest } from '../../testing/functions'

const step = await stepUnderTest('cropImage', () => import('./handler'))

describe('cropImage handler', () => {
  it('writes the cropped rendition of the uploaded photo into the configured data bucket', async () => {
    expect(await runOnUploadedPhoto(step, 1280, 960)).toMatchObject({
      result: { branch: 'cropped', rendition: { width: 512, height: 512, format: 'jpeg' } },
      written: [`${ENV.DATA_BUCKET}/photos/job-1/cropped.jpg`],
    })
  })
})
