import { describe, expect, it } from 'vitest'
import { ENV, stepUnderTest, updates } from '../../testing/functions'

const { aws, run } = await stepUnderTest('storeTextResult', () => import('./handler'))

describe('storeTextResult handler', () => {
  it('records the counts on the job item in the configured jobs table and returns them', async () => {
    const stats = { totalWords: 3, distinctWords: 2, topWords: [{ word: 'a', count: 2 }] }
    const source = { kind: 'inline', text: 'a b a' }
    const done = await run({ jobId: 'job-1', owner: 'u1', topN: 1, source, stats })
    expect(done).toEqual({ jobId: 'job-1', status: 'SUCCEEDED', result: stats })
    expect(updates(aws.db)).toMatchObject([
      {
        table: ENV.JOBS_TABLE,
        key: { jobId: 'job-1' },
        values: { ':status': 'SUCCEEDED', ':result': stats },
      },
    ])
  })
})
