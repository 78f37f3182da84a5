/**
 * What the welcome use case needs from the outside world. Adapters (SES, DynamoDB) implement these
 * at the entry point; tests pass fakes with the same semantics.
 */

export interface OutgoingEmail {
  readonly to: string
  /** Tags the message in SES (configuration set events, reputation per kind). */
  readonly kind: 'confirmation' | 'welcome' | 'newsletter'
  readonly subject: string
  readonly html: string
  readonly text: string
  readonly unsubscribeUrl: string
  /** RFC 8058: `List-Unsubscribe` of every message, with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. */
  readonly oneClickUnsubscribeUrl: string
}

export interface Mailer {
  /**
   * Resolves once the provider accepted the message. Rejects with `MailNotAcceptedError` only when
   * the provider proved it did not accept it (it answered with a refusal, or the request never left);
   * any other rejection means the outcome is unknown: the message may have been accepted.
   */
  send(email: OutgoingEmail): Promise<{ messageId: string }>
}

/** The provider answered and did not take the message (a refusal, throttling), or it never got it. */
export class MailNotAcceptedError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options)
    this.name = 'MailNotAcceptedError'
  }
}

/**
 * Result of trying to claim the right to send one message:
 * - `claimed`: ours until `leaseUntil`; send, then `markSent` / `release` / `markUncertain`;
 * - `sent`: someone already sent it; nothing to do;
 * - `uncertain`: an earlier attempt may or may not have sent it; never sent again;
 * - `abandoned`: this call found a claim whose lease had run out (its holder died, maybe while
 *   sending) and made it `uncertain`: never sent again, and the caller reports it;
 * - `busy`: another delivery holds a live claim; try again later.
 */
export type ClaimOutcome = 'claimed' | 'sent' | 'uncertain' | 'abandoned' | 'busy'

/** Why a message ended `uncertain` (see the README's state machine). */
export type UncertainReason = 'send-outcome-unknown' | 'lease-expired'

/**
 * The exactly-once ledger, one item per message. Every method is a single conditional write, so
 * concurrent deliveries of the same message serialise on the item and never both reach the mailer.
 * States: (none) -claim-> claimed -markSent-> sent; claimed -release-> (none) only after a proven
 * refusal; claimed -markUncertain / expired lease-> uncertain. `sent` and `uncertain` are terminal.
 */
export interface SentLedger {
  /** Claims `key` for `owner` if it has no item; an expired claim becomes `uncertain` (`abandoned`). */
  claim(key: string, owner: string, now: Date, leaseUntil: Date): Promise<ClaimOutcome>
  /** Records the send; throws `ClaimLostError` if `owner` no longer holds the claim. */
  markSent(key: string, owner: string, messageId: string, now: Date): Promise<void>
  /** Records that the send's outcome cannot be known; no-op if `owner` no longer holds the claim. */
  markUncertain(key: string, owner: string, reason: UncertainReason, now: Date): Promise<void>
  /** Gives a claim back after a proven refusal so a retry may send; no-op if not ours. */
  release(key: string, owner: string): Promise<void>
}

export interface Clock {
  now(): Date
}

/** The claim's owner changed under us: the item is no longer our live claim. */
export class ClaimLostError extends Error {
  constructor(readonly key: string) {
    super(`Claim on ${key} is no longer held by this delivery`)
    this.name = 'ClaimLostError'
  }
}

/** A confirmed subscription as the newsletter needs it: where to send, and whose links. */
export interface Recipient {
  readonly email: string
  readonly subscriberId: string
}

/**
 * The confirmed subscribers, page by page in a stable order (blog-site's `byStatus` index):
 * `after` is the `next` of the previous page, opaque to the caller.
 */
export interface ConfirmedSubscribers {
  page(after?: string): Promise<{ readonly recipients: readonly Recipient[]; readonly next?: string }>
}
