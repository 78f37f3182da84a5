/**
 * What the welcome use case needs from the outside world. Adapters (SES, DynamoDB) implement these
 * at the entry point; tests pass fakes with the same semantics.
 */

export interface OutgoingEmail {
  readonly to: string
  readonly subject: string
  readonly html: string
  readonly text: string
  readonly unsubscribeUrl: string
}

export interface Mailer {
  /** Resolves once the provider accepted the message; rejects if it did not. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>
}

/**
 * Result of trying to claim the right to send one subscriber's welcome:
 * - `claimed`: ours until `leaseUntil`; send, then `markSent`;
 * - `sent`: someone already sent it; nothing to do;
 * - `busy`: another delivery holds a live claim; try again later (it may still fail).
 */
export type ClaimOutcome = 'claimed' | 'sent' | 'busy'

/**
 * The exactly-once ledger. Every method is a single conditional write, so concurrent deliveries of
 * the same subscriber serialise on the ledger item and never both reach the mailer.
 */
export interface SentLedger {
  /** Claims `key` for `owner` if it has no item, or only a claim whose lease ended before `now`. */
  claim(key: string, owner: string, now: Date, leaseUntil: Date): Promise<ClaimOutcome>
  /** Records the send; throws `ClaimLostError` if `owner` no longer holds the claim. */
  markSent(key: string, owner: string, messageId: string, now: Date): Promise<void>
  /** Gives a claim back after a failed send so a retry need not wait for the lease; no-op if not ours. */
  release(key: string, owner: string): Promise<void>
}

export interface Clock {
  now(): Date
}

/** The claim's owner changed under us: our lease ran out and another delivery took over. */
export class ClaimLostError extends Error {
  constructor(readonly key: string) {
    super(`Claim on ${key} is no longer held by this delivery`)
    this.name = 'ClaimLostError'
  }
}
