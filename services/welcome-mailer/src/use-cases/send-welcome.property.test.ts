import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deliverySchedules, playSchedule } from '../testing/delivery-schedule'
import { MemorySentLedger } from '../testing/memory-ledger'

describe('exactly one welcome per subscriber, whatever the delivery schedule', () => {
  it('holds over 1,000 schedules of duplicates, reorderings, parallel batches and SES failures', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(deliverySchedules(), async (schedule) => {
        const result = await playSchedule(schedule, {
          ledger: new MemorySentLedger(),
          namespace: `run${++run}`,
        })
        // Exactly one email per subscriber: none duplicated, none lost.
        for (const address of result.goodAddresses) expect(result.inbox.get(address)).toBe(1)
        expect([...result.inbox.keys()].sort()).toEqual([...result.goodAddresses].sort())
        // Only poisoned records end in the on-failure destination, as the first of their slice,
        // and every poisoned record gets there: it never blocks the shard, nor disappears.
        const poisonIds = new Set(result.poisonedRecords.map((r) => r.dynamodb?.SequenceNumber))
        for (const slice of result.deadLetters)
          expect(poisonIds.has(slice[0]?.dynamodb?.SequenceNumber)).toBe(true)
        const dead = new Set(result.deadLetters.flat().map((r) => r.dynamodb?.SequenceNumber))
        for (const id of poisonIds) expect(dead.has(id)).toBe(true)
      }),
      { numRuns: 1_000 },
    )
  })
})
