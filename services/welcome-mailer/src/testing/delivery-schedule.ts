/**
 * Generated stream delivery schedules and a driver that plays them against the real stream consumer
 * with the event source mapping's retry rules. Shared by the in-memory property test (1,000+
 * schedules) and the DynamoDB Local one (fewer schedules, real conditional writes, batches of one
 * round truly concurrent against the table).
 */
import type { DynamoDBRecord } from 'aws-lambda'
import fc from 'fast-check'
import { expect } from 'vitest'
import { createConsumer } from '../functions/sendWelcome/consumer'
import { type Mailer, MailNotAcceptedError, type OutgoingEmail, type SentLedger } from '../ports'
import { messageFor, type SendWelcomeDeps } from '../use-cases/send-welcome'
import { insertRecord, lambdaContext, ManualClock, subscriber, testTokens } from './fakes'

/** What happens on one send call (faults are consumed one per send, then every send is `ok`). */
export type SendFault =
  | 'ok'
  /** SES refuses (a 4xx): nothing sent, the claim is given back, a retry sends. */
  | 'reject'
  /** A refusal, and giving the claim back fails: the claim expires and ends uncertain. */
  | 'reject-release-fails'
  /** The request is lost on its way (timeout): nothing sent, and nobody can know that. */
  | 'timeout-before-accept'
  /** SES accepted and its answer is lost (timeout): sent, and nobody can know that. */
  | 'timeout-after-accept'
  /** The invocation dies between the claim and the request: nothing sent, the claim stays. */
  | 'crash-before-send'
  /** SES accepted, then the invocation dies before recording it: sent, the claim stays. */
  | 'crash-after-accept'
  /** SES accepted, and the ledger write recording it fails: sent, the claim stays. */
  | 'mark-fails'

/** Faults that may leave a subscriber without a welcome (at-most-once in the unknowable case). */
const losing: ReadonlySet<SendFault> = new Set([
  'reject-release-fails',
  'timeout-before-accept',
  'crash-before-send',
])

export interface DeliverySchedule {
  subscribers: number
  poisoned: number
  /** Batches of record indices (duplicates and any order allowed), each with the round it starts in. */
  batches: { round: number; records: number[] }[]
  faults: SendFault[]
  /** Consumed one per claim: `true` makes that claim's write fail (throttled) without effect. */
  claimFaults: boolean[]
  /** How far the clock moves between rounds, as a fraction of the claim lease (often under half). */
  clockSteps: number[]
  /**
   * Consumed one per partial-failure retry: how many records before the first failed one the
   * mapping redelivers too (a retry from an earlier checkpoint than the failure).
   */
  rewinds: number[]
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
          .array(
            fc.constantFrom<SendFault>(
              'ok',
              'ok',
              'reject',
              'reject-release-fails',
              'timeout-before-accept',
              'timeout-after-accept',
              'crash-before-send',
              'crash-after-accept',
              'mark-fails',
            ),
            { maxLength: 10 },
          )
          .filter((faults) => faults.filter((fault) => fault !== 'ok').length <= 4),
        claimFaults: fc.array(fc.boolean(), { maxLength: 8 }).filter((f) => f.filter(Boolean).length <= 3),
        // Steps of 0 and under half a lease keep claims live across rounds (busy retries); larger
        // ones let a dead delivery's claim expire.
        clockSteps: fc.array(
          fc.oneof(
            fc.constant(0),
            fc.double({ min: 0, max: 0.49, noNaN: true }),
            fc.double({ min: 0.5, max: 2, noNaN: true }),
          ),
          { minLength: 1, maxLength: 5 },
        ),
        rewinds: fc.array(fc.nat(3), { maxLength: 5 }),
      })
    })

export interface PlayResult {
  /** Sends the mailer accepted, per address. */
  inbox: Map<string, number>
  /** The on-failure destination: the records of every slice the driver gave up on. */
  deadLetters: DynamoDBRecord[][]
  goodAddresses: string[]
  poisonedRecords: DynamoDBRecord[]
  /** Addresses a fault may have cost their welcome: a lost request, a dead holder, a failed release. */
  mayBeLost: Set<string>
  /** Addresses whose claim outlived its delivery (it died, or a ledger write failed): busy until it expires. */
  stuck: Set<string>
  /** Addresses the consumer reported as uncertain (the `UncertainSends` metric). */
  reported: Set<string>
  /** Addresses whose message was written `uncertain` (durably; the metric may die with its invocation right after). */
  recordedUncertain: Set<string>
  invocations: number
}

/** The invocation died (timeout, out of memory): nothing it does afterwards has any effect. */
class InvocationDied extends Error {}

const addressOf = (record: DynamoDBRecord) => record.dynamodb?.NewImage?.email?.S ?? ''

/**
 * Plays `schedule`: rounds of parallel invocations of the real consumer; a batch that reports
 * failures is redelivered from its first failed record (or earlier, `rewinds`) in the next round
 * (ReportBatchItemFailures), one that throws or whose invocation died is bisected, and after
 * `maximumRetryAttempts` the rest goes to the dead letters. The clock moves between rounds.
 */
export const playSchedule = async (
  schedule: DeliverySchedule,
  options: { ledger: SentLedger; namespace: string; leaseMs?: number },
): Promise<PlayResult> => {
  const lease = options.leaseMs ?? leaseMs
  const emails = Array.from({ length: schedule.subscribers }, (_, n) => {
    const s = subscriber(n)
    return {
      ...s,
      email: `${options.namespace}-${s.email}`,
      subscriberId: `${options.namespace}_${n}`.padEnd(22, '0'),
    }
  })
  const site = { url: 'https://blog.example.com', name: 'Serverless Classics' }
  // The ledger names messages, not addresses: which address each key is, for the assertions.
  const addressByKey = new Map(emails.map((e) => [messageFor(e, { site, tokens: testTokens }).key, e.email]))
  const address = (key: string) => addressByKey.get(key) ?? key
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
  const accept = (to: string) => {
    inbox.set(to, (inbox.get(to) ?? 0) + 1)
    return { messageId: `m-${to}-${inbox.get(to)}` }
  }
  const faults = [...schedule.faults]
  const claimFaults = [...schedule.claimFaults]
  const rewinds = [...schedule.rewinds]
  const mayBeLost = new Set<string>()
  const stuck = new Set<string>()
  const reported = new Set<string>()
  const recordedUncertain = new Set<string>()
  const releaseFails = new Set<string>()
  const markFails = new Set<string>()
  const clock = new ManualClock()
  let claims = 0

  /** One invocation: its own view of the mailer and ledger, which die with it. */
  const invoke = async (batch: DynamoDBRecord[]) => {
    let died = false
    /** Claims this invocation holds and has not settled: orphaned if it dies. */
    const open = new Set<string>()
    const live = () => {
      if (died) throw new InvocationDied('the invocation is gone')
    }
    const die = (): never => {
      died = true
      throw new InvocationDied('Runtime exited')
    }
    const mailer: Mailer = {
      async send(email: OutgoingEmail) {
        await Promise.resolve()
        live()
        const fault = faults.shift() ?? 'ok'
        if (losing.has(fault)) mayBeLost.add(email.to)
        switch (fault) {
          case 'ok':
            return accept(email.to)
          case 'reject-release-fails':
            releaseFails.add(email.to)
            throw new MailNotAcceptedError('MessageRejected', { cause: 'fault' })
          case 'reject':
            throw new MailNotAcceptedError('MessageRejected', { cause: 'fault' })
          case 'timeout-before-accept':
            throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })
          case 'timeout-after-accept':
            accept(email.to)
            throw Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })
          case 'crash-before-send':
            return die()
          case 'crash-after-accept':
            accept(email.to)
            return die()
          case 'mark-fails':
            markFails.add(email.to)
            return accept(email.to)
        }
      },
    }
    const ledger: SentLedger = {
      async claim(key, owner, now, leaseUntil) {
        live()
        if (claimFaults.shift())
          throw Object.assign(new Error('Throughput exceeded'), { name: 'ThrottlingException' })
        const outcome = await options.ledger.claim(key, owner, now, leaseUntil)
        if (outcome === 'claimed') open.add(address(key))
        if (outcome === 'abandoned') recordedUncertain.add(address(key))
        return outcome
      },
      async markSent(key, owner, messageId, now) {
        live()
        if (markFails.delete(address(key))) {
          stuck.add(address(key))
          throw new Error('ProvisionedThroughputExceededException')
        }
        await options.ledger.markSent(key, owner, messageId, now)
        open.delete(address(key))
      },
      async markUncertain(key, owner, reason, now) {
        live()
        await options.ledger.markUncertain(key, owner, reason, now)
        open.delete(address(key))
        recordedUncertain.add(address(key))
      },
      async release(key, owner) {
        live()
        if (releaseFails.delete(address(key))) {
          stuck.add(address(key))
          throw new Error('ProvisionedThroughputExceededException')
        }
        await options.ledger.release(key, owner)
        open.delete(address(key))
      },
    }
    const deps: SendWelcomeDeps = {
      mailer,
      ledger,
      clock,
      newClaimId: () => `${options.namespace}-claim-${++claims}`,
      site,
      tokens: testTokens,
      claimLeaseMs: lease,
      // A dead invocation's metrics never leave it.
      onUncertain: (key) => {
        if (!died) reported.add(address(key))
      },
    }
    try {
      const { batchItemFailures } = await createConsumer(deps)({ Records: batch }, lambdaContext())
      if (died) return { died: true as const, failures: undefined }
      return { failures: batchItemFailures.map((f) => f.itemIdentifier), died: false as const }
    } catch {
      return { died, failures: undefined }
    } finally {
      // Claims a dead invocation held stay claimed: their messages may be lost (never resent).
      if (died)
        for (const key of open) {
          mayBeLost.add(key)
          stuck.add(key)
        }
    }
  }

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
    if (round > 400) throw new Error('schedule did not settle within 400 rounds')
    const current = [
      ...pending,
      ...batches
        .filter((batch) => batch.round === round)
        .map((batch) => ({ records: batch.records.map((i) => records[i] as DynamoDBRecord), retries: 0 })),
    ]
    pending = []
    // Every batch of a round runs at the same time: truly concurrent against the ledger.
    const outcomes = await Promise.all(
      current.map(async (batch): Promise<Pending[]> => {
        invocations++
        const outcome = await invoke(batch.records)
        if (outcome.failures) {
          if (!outcome.failures.length) return []
          const sequences = batch.records.map((r) => r.dynamodb?.SequenceNumber ?? '')
          const first = Math.min(...outcome.failures.map((id) => sequences.indexOf(id)))
          const from = Math.max(0, first - (rewinds.shift() ?? 0))
          return [{ records: batch.records.slice(from), retries: batch.retries + 1 }]
        }
        // A function error (every record failed, or the invocation died): the whole batch again,
        // its earlier, finished records included; bisected (halves keep the retry count).
        if (batch.records.length === 1) return [{ records: batch.records, retries: batch.retries + 1 }]
        const half = Math.ceil(batch.records.length / 2)
        return [
          { records: batch.records.slice(0, half), retries: batch.retries },
          { records: batch.records.slice(half), retries: batch.retries },
        ]
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
    mayBeLost,
    stuck,
    reported,
    recordedUncertain,
    invocations,
  }
}

/**
 * What every schedule must show: no subscriber ever gets two welcomes; each gets exactly one unless
 * a fault made the outcome unknowable; a welcome that may be lost is never silent (counted as
 * uncertain, or its record is in the failure destination); poisoned records end in the failure
 * destination and nothing else does but records whose claim outlived its delivery.
 */
export const expectAtMostOnceAndAccounted = (result: PlayResult) => {
  const dead = new Set(result.deadLetters.flat().map(addressOf))
  for (const address of result.goodAddresses) {
    const count = result.inbox.get(address) ?? 0
    expect(count, address).toBeLessThanOrEqual(1)
    if (!result.mayBeLost.has(address)) expect(count, address).toBe(1)
    // Not silent: counted by the metric, or in the failure destination, or (when the invocation
    // died between the ledger write and the metric) recorded `uncertain` in the ledger.
    if (count === 0)
      expect(
        result.reported.has(address) || dead.has(address) || result.recordedUncertain.has(address),
        address,
      ).toBe(true)
  }
  expect([...result.inbox.keys()].every((address) => result.goodAddresses.includes(address))).toBe(true)
  const poisonIds = new Set(result.poisonedRecords.map((r) => r.dynamodb?.SequenceNumber))
  for (const slice of result.deadLetters) {
    const first = slice[0] as DynamoDBRecord
    // A stuck claim keeps its record busy until the lease ends; if the retries end first, the
    // failure destination (and its alarm) holds it, never a resend.
    expect(poisonIds.has(first.dynamodb?.SequenceNumber) || result.stuck.has(addressOf(first))).toBe(true)
  }
  const deadIds = new Set(result.deadLetters.flat().map((r) => r.dynamodb?.SequenceNumber))
  for (const id of poisonIds) expect(deadIds.has(id)).toBe(true)
}
