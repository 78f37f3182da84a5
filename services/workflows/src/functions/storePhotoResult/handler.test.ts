import { photo } from '@app/images/fixtures'
import { describe, expect, it } from 'vitest'
import { ENV, stepUnderTest, updates, uploadedPhoto } from '../../testing/functions'

const { aws, run } = await stepUnderTest('storePhotoResult', () => import('./handler'))

const rendition = (name: string, format: string) => ({
  key: `photos/job-1/${name}`,
  width: 10,
  height: 10,
  format,
  contentType: `image/${format}`,
  bytes: 100,
})

describe('storePhotoResult handler', () => {
  it('records every branch’s result on the job item in the configured jobs table', async () => {
    const { state: job } = await uploadedPhoto(aws.s3, await photo(10, 10))
    const state = {
      ...job,
      branches: [
        { branch: 'metadata', key: 'photos/job-1/metadata.json', metadata: { format: 'jpeg' } },
        { branch: 'resized', rendition: rendition('resized.webp', 'webp') },
        { branch: 'greyscale', rendition: rendition('greyscale.jpg', 'jpeg') },
        { branch: 'cropped', rendition: rendition('cropped.jpg', 'jpeg') },
      ],
    }
    const done = await run(state)
    expect(done).toMatchObject({
      jobId: 'job-1',
      status: 'SUCCEEDED',
      result: { renditions: { cropped: { bytes: 100 } } },
    })
    expect(updates(aws.db)).toMatchObject([
      {
        table: ENV.JOBS_TABLE,
        key: { jobId: 'job-1' },
        values: { ':status': 'SUCCEEDED', ':workflow': 'photo' },
      },
    ])
  })
})
