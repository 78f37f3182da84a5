import { describe, expect, it } from 'vitest'
import { ENV, stepUnderTest, updates } from '../../testing/functions'

const { aws, run } = await stepUnderTest('recordFailure', () => import('./handler'))

describe('recordFailure handler', () => {
  it('records the error that ended the job on its item in the configured jobs table', async () => {
    const failure = { Error: 'NotFoundError', Cause: JSON.stringify({ errorMessage: 'No text' }) }
    const done = await run({ workflow: 'text', jobId: 'job-1', owner: 'u1', failure })
    expect(done).toMatchObject({ jobId: 'job-1', status: 'FAILED', error: { name: 'NotFoundError' } })
    expect(updates(aws.db)).toMatchObject([
      {
        table: ENV.JOBS_TABLE,
        key: { jobId: 'job-1' },
        values: { ':status': 'FAILED', ':workflow': 'text' },
      },
    ])
  })
})
