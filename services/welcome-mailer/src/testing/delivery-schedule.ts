/**
 * Generated stream delivery schedules and a driver that plays them against the real stream handler
 * with the event source mapping's retry rules. Shared by the in-memory property test (1,000+
 * schedules) and the DynamoDB Local one (fewer schedules, real conditional writes).
 */
import type { DynamoDBRecord } from 'aws-lambda'
import fc from 'fast-check'
import { createConsumer } from '../functions/sendWelcome/consumer'
import type { Mailer, OutgoingEmail, SentLedger } from '../ports'
import type { SendWelcomeDeps } from '../use-cases/send-welcome'
import { insertRecord, lambdaContext, ManualClock, subscriber } from './fakes'

/** What the mailer does on one send: accept, refuse (nothing sent), or die before answering. */
export type SendFault = 'ok' | 'reject' | 'crash'

export interface DeliverySchedule {
  subscribers: number
  poisoned: number
  /** Batches of record indices (duplicates and any order allowed), each with the round it starts in. */
  batches: { round: number; records: number[] }[]
  /** Consumed one per send call, then every send succeeds. */
  faults: SendFault[]
  /** How far the clock moves between rounds, as a fraction of the claim lease. */
  clockSteps: number[]
}

/** Retries of the event source mapping (serverless.yml `maximumRetryAttempts`). */
export const maximumRetryAttempts = 10
export const leaseMs = 120_000

export const deliverySchedules = (): fc.Arbitrary<DeliverySchedule> =>
  fc
    .record({
      subscribers: fc.integer({ min: 1, max: 5 }),
      poisoned: fc.integer({ min: 0, max: 2 }),
    })
    .chain(({ subscribers, poisoned }) => {
      const records = subscribers + poisoned
      return fc.record({
        subscribers: fc.constant(subscribers),
        poisoned: fc.constant(poisoned),
        batches: fc.array(
          fc.record({
            round: fc.integer({ min: 0, max: 3 }),
            records: fc.array(fc.nat(records - 1), { minLength: 1, maxLength: 6 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        // At most four failures in all: the retry budget must be able to outlast them (see driver).
        faults: fc
          .array(fc.constantFrom<SendFault>('ok', 'ok', 'reject', 'crash'), { maxLength: 10 })
          .filter((faults) => faults.filter((fault) => fault !== 'ok').length <= 4),
        clockSteps: fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 1, maxLength: 5 }),
      })
    })

export interface PlayResult {
  /** Sends the mailer accepted, per address. */
  inbox: Map<string, number>
  /** The on-failure destination: the records of every slice the driver gave up on. */
  deadLetters: DynamoDBRecord[][]
  goodAddresses: string[]
  poisonedRecords: DynamoDBRecord[]
  invocations: number
}

/**
 * Plays `schedule`: rounds of parallel invocations of the real handler; a batch that reports
 * failures is redelivered from its first failed record in the next round (ReportBatchItemFailures),
 * one that throws is bisected, and after `maximumRetryAttempts` the rest goes to the dead letters.
 * The clock only moves between rounds, so a live claim is never taken over: a claim outlives its
 * invocation only when the invocation "crashed".
 */
export const playSchedule = async (
  schedule: DeliverySchedule,
  options: { ledger: SentLedger; namespace: string; leaseMs?: number },
): Promise<PlayResult> => {
  const lease = options.leaseMs ?? leaseMs
  const emails = Array.from({ length: schedule.subscribers }, (_, n) => {
    const s = subscriber(n)
    return { ...s, email: `${options.namespace}-${s.email}` }
  })
  const good = emails.map((image) => insertRecord(image))
  const poisoned = Array.from({ length: schedule.poisoned }, (_, n) =>
    insertRecord({
      email: `${options.namespace}-poison${n}@example.com`,
      subscribedAt: 'not a date',
      unsubscribeToken: 'x',
    }),
  )
  const records = [...good, ...poisoned]

  const inbox = new Map<string, number>()
  const faults = [...schedule.faults]
  const crashed = new Set<string>()
  const mailer: Mailer = {
    async send(email: OutgoingEmail) {
      await Promise.resolve()
      const fault = faults.shift() ?? 'ok'
      if (fault === 'reject') throw new Error('MessageRejected')
      if (fault === 'crash') {
        // The invocation dies here: its claim is never released and only the lease frees it.
        crashed.add(email.to)
        throw new Error('Runtime exited')
      }
      inbox.set(email.to, (inbox.get(email.to) ?? 0) + 1)
      return { messageId: `m-${email.to}-${inbox.get(email.to)}` }
    },
  }
  const ledger: SentLedger = {
    claim: (...args) => options.ledger.claim(...args),
    markSent: (...args) => options.ledger.markSent(...args),
    async release(key, owner) {
      if (crashed.delete(key)) throw new Error('Runtime exited before releasing')
      return options.ledger.release(key, owner)
    },
  }
  const clock = new ManualClock()
  let claims = 0
  const deps: SendWelcomeDeps = {
    mailer,
    ledger,
    clock,
    newClaimId: () => `${options.namespace}-claim-${++claims}`,
    site: { url: 'https://blog.example.com', name: 'Serverless Classics' },
    claimLeaseMs: lease,
  }
  const handler = createConsumer(deps)

  type Pending = { records: DynamoDBRecord[]; retries: number }
  const deadLetters: DynamoDBRecord[][] = []
  let pending: Pending[] = []
  let invocations = 0
  const lastRound = Math.max(...schedule.batches.map((b) => b.round))
  // The stream delivers every record at least once: records the generated batches never named
  // come in one more batch in the last round, in stream order.
  const named = new Set(schedule.batches.flatMap((batch) => batch.records))
  const unnamed = records.map((_, i) => i).filter((i) => !named.has(i))
  const batches = unnamed.length
    ? [...schedule.batches, { round: lastRound, records: unnamed }]
    : schedule.batches
  for (let round = 0; round <= lastRound || pending.length; round++) {
    if (round > 200) throw new Error('schedule did not settle within 200 rounds')
    const current = [
      ...pending,
      ...batches
        .filter((batch) => batch.round === round)
        .map((batch) => ({ records: batch.records.map((i) => records[i] as DynamoDBRecord), retries: 0 })),
    ]
    pending = []
    const outcomes = await Promise.all(
      current.map(async (batch) => {
        invocations++
        try {
          const { batchItemFailures } = await handler({ Records: batch.records }, lambdaContext())
          if (!batchItemFailures.length) return []
          const sequences = batch.records.map((r) => r.dynamodb?.SequenceNumber)
          const first = Math.min(...batchItemFailures.map((f) => sequences.indexOf(f.itemIdentifier)))
          return [{ records: batch.records.slice(first), retries: batch.retries + 1 }]
        } catch {
          // Every record failed: bisect (halves keep the retry count), or retry a single record.
          if (batch.records.length === 1) return [{ records: batch.records, retries: batch.retries + 1 }]
          const half = Math.ceil(batch.records.length / 2)
          return [
            { records: batch.records.slice(0, half), retries: batch.retries },
            { records: batch.records.slice(half), retries: batch.retries },
          ]
        }
      }),
    )
    for (const retry of outcomes.flat()) {
      if (retry.retries > maximumRetryAttempts) deadLetters.push(retry.records)
      else pending.push(retry)
    }
    const step = schedule.clockSteps[round % schedule.clockSteps.length] ?? 1
    clock.advance(Math.ceil(step * lease))
  }
  return {
    inbox,
    deadLetters,
    goodAddresses: emails.map((e) => e.email),
    poisonedRecords: poisoned,
    invocations,
  }
}
