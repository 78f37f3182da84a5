import { photo } from '@app/images/fixtures'
import { stepInput } from '@app/runtime/testing'
import { describe, expect, it } from 'vitest'
import { ENV, loadHandler, mockedAws, putKeys, uploadedPhoto } from '../../testing/functions'

const aws = mockedAws()
const { handler } = await loadHandler(() => import('./handler'))

describe('updateColorChannel handler', () => {
  it('writes the greyscale rendition of the uploaded photo into the configured data bucket', async () => {
    const { state } = await uploadedPhoto(aws.s3, await photo(1280, 960))
    expect(await handler(stepInput(state))).toMatchObject({
      branch: 'greyscale',
      rendition: { width: 1280, height: 960, format: 'jpeg' },
    })
    expect(putKeys(aws.s3)).toEqual([`${ENV.DATA_BUCKET}/photos/job-1/greyscale.jpg`])
  })
})
