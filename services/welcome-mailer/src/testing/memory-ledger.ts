import { ClaimLostError, type ClaimOutcome, type SentLedger, type UncertainReason } from '../ports'

interface Entry {
  state: 'claimed' | 'sent' | 'uncertain'
  owner: string
  leaseUntil: number
  messageId?: string
  reason?: UncertainReason
}

/**
 * In-memory ledger with exactly the conditions of the DynamoDB adapter (each method is atomic, as a
 * single conditional write is). Used by the unit and property tests; the integration test runs the
 * same schedules against the real adapter on DynamoDB Local.
 */
export class MemorySentLedger implements SentLedger {
  readonly entries = new Map<string, Entry>()

  async claim(key: string, owner: string, now: Date, leaseUntil: Date): Promise<ClaimOutcome> {
    await Promise.resolve()
    const entry = this.entries.get(key)
    if (!entry) {
      this.entries.set(key, { state: 'claimed', owner, leaseUntil: leaseUntil.getTime() })
      return 'claimed'
    }
    if (entry.state === 'claimed' && entry.leaseUntil < now.getTime()) {
      this.entries.set(key, { ...entry, state: 'uncertain', reason: 'lease-expired' })
      return 'abandoned'
    }
    return entry.state === 'claimed' ? 'busy' : entry.state
  }

  async markSent(key: string, owner: string, messageId: string): Promise<void> {
    await Promise.resolve()
    const entry = this.entries.get(key)
    if (entry?.state !== 'claimed' || entry.owner !== owner) throw new ClaimLostError(key)
    this.entries.set(key, { ...entry, state: 'sent', messageId })
  }

  async markUncertain(key: string, owner: string, reason: UncertainReason): Promise<void> {
    await Promise.resolve()
    const entry = this.entries.get(key)
    if (entry?.state === 'claimed' && entry.owner === owner)
      this.entries.set(key, { ...entry, state: 'uncertain', reason })
  }

  async release(key: string, owner: string): Promise<void> {
    await Promise.resolve()
    const entry = this.entries.get(key)
    if (entry?.state === 'claimed' && entry.owner === owner) this.entries.delete(key)
  }
}
