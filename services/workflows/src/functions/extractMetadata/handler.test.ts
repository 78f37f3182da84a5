import { photo } from '@app/images/fixtures'
import { stepInput } from '@app/runtime/testing'
import { describe, expect, it } from 'vitest'
import { ENV, loadHandler, mockedAws, putKeys, uploadedPhoto } from '../../testing/functions'

const aws = mockedAws()
const { handler } = await loadHandler(() => import('./handler'))

describe('extractMetadata handler', () => {
  it('stores the uploaded photo’s metadata as JSON in the configured data bucket', async () => {
    const { state } = await uploadedPhoto(aws.s3, await photo(320, 200))
    expect(await handler(stepInput(state))).toMatchObject({ branch: 'metadata', metadata: { width: 320 } })
    expect(putKeys(aws.s3)).toEqual([`${ENV.DATA_BUCKET}/photos/job-1/metadata.json`])
  })
})
