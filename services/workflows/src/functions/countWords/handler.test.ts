import { describe, expect, it } from 'vitest'
import { stepUnderTest } from '../../testing/functions'

const { run } = await stepUnderTest('countWords', () => import('./handler'))

describe('countWords handler', () => {
  it('counts the words of the job’s text into its stats, keeping the job', async () => {
    const job = { jobId: 'job-1', owner: 'u1', topN: 1, source: { kind: 'inline', text: 'a b a' } }
    expect(await run(job)).toEqual({
      ...job,
      stats: { totalWords: 3, distinctWords: 2, topWords: [{ word: 'a', count: 2 }] },
    })
  })

  it('refuses a state that is not a text job as final', async () => {
    await expect(run({ jobId: 'job-1' })).rejects.toMatchObject({ name: 'ValidationError' })
  })
})
