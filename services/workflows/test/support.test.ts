import { describe, expect, it } from 'vitest'
import { eventually } from './support'

describe('eventually', () => {
  it('returns the first value that is done', async () => {
    let reads = 0
    await expect(
      eventually(
        'the third read',
        async () => ++reads,
        (n) => n >= 3,
        { every: 1 },
      ),
    ).resolves.toBe(3)
  })

  it('fails naming what it waited for and the last value, instead of returning it', async () => {
    await expect(
      eventually(
        'job j-1 to leave RUNNING',
        async () => ({ status: 'RUNNING' }),
        () => false,
        { within: 20, every: 5 },
      ),
    ).rejects.toThrow(/waiting for job j-1 to leave RUNNING; last seen: \{"status":"RUNNING"\}/)
  })
})
