import { photo } from '@app/images/fixtures'
import { describe, expect, it } from 'vitest'
import { ENV, stepUnderTest, uploadedPhoto } from '../../testing/functions'

const { aws, run } = await stepUnderTest('processPhoto', () => import('./handler'))

describe('processPhoto handler', () => {
  it('reads the photo from the configured uploads bucket into the job state', async () => {
    const { job } = await uploadedPhoto(aws.s3, await photo(640, 480))
    expect(await run(job)).toMatchObject({ ...job, info: { format: 'jpeg', width: 640, height: 480 } })
  })

  it('refuses a photo of another bucket as final', async () => {
    const job = {
      jobId: 'job-1',
      owner: 'u1',
      source: { bucket: `not-${ENV.UPLOADS_BUCKET}`, key: 'photos/p.jpg' },
    }
    await expect(run(job)).rejects.toMatchObject({ name: 'ValidationError' })
  })
})
