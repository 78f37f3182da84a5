import { describe, expect, it } from 'vitest'
import { ENV, runOnUploadedPhoto, stepUnderTest } from '../../testing/functions'

const step = await stepUnderTest('updateColorChannel', () => import('./handler'))

describe('updateColorChannel handler', () => {
  it('writes the greyscale rendition of the uploaded photo into the configured data bucket', async () => {
    expect(await runOnUploadedPhoto(step, 1280, 960)).toMatchObject({
      result: { branch: 'greyscale', rendition: { width: 1280, height: 960, format: 'jpeg' } },
      written: [`${ENV.DATA_BUCKET}/photos/job-1/greyscale.jpg`],
    })
  })
})
