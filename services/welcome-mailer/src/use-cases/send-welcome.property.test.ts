import fc from 'fast-check'
import { describe, it } from 'vitest'
import { deliverySchedules, expectAtMostOnceAndAccounted, playSchedule } from '../testing/delivery-schedule'
import { MemorySentLedger } from '../testing/memory-ledger'

describe('at most one welcome per subscriber, whatever the delivery schedule', () => {
  it('holds over 1,000 schedules of duplicates, reorderings, parallel batches, SES and ledger faults', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(deliverySchedules(), async (schedule) => {
        const result = await playSchedule(schedule, {
          ledger: new MemorySentLedger(),
          namespace: `run${++run}`,
        })
        expectAtMostOnceAndAccounted(result)
      }),
      { numRuns: 1_000 },
    )
  })
})
