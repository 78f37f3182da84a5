import { renderWelcomeEmail } from '@app/domain/emails'
import type { Subscriber } from '@app/domain/subscribers'
import {
  type Clock,
  type Mailer,
  MailNotAcceptedError,
  type SentLedger,
  type UncertainReason,
} from '../ports'

export interface SendWelcomeDeps {
  readonly mailer: Mailer
  readonly ledger: SentLedger
  readonly clock: Clock
  /** A fresh id per delivery attempt: whose claim it is. */
  readonly newClaimId: () => string
  readonly site: { readonly url: string; readonly name: string }
  readonly claimLeaseMs: number
  /** Told when the email went out but the ledger could not record it (the claim stays, never resent). */
  readonly onUnrecordedSend?: (key: string, messageId: string, error: unknown) => void
  /** Told once per message that ends `uncertain`: maybe sent, never resent (counted and alarmed). */
  readonly onUncertain?: (key: string, reason: UncertainReason, error?: unknown) => void
}

/** `uncertain`: maybe sent, maybe not, and never sent again (see the README's state machine). */
export type SendWelcomeOutcome = 'sent' | 'already-sent' | 'uncertain'

/** Another delivery of the same subscriber holds a live claim; the stream retries this record. */
export class WelcomeInFlightError extends Error {
  constructor(readonly key: string) {
    super('Another delivery is sending this welcome right now')
    this.name = 'WelcomeInFlightError'
  }
}

/** The mailer proved it did not accept the message; the claim was given back, so a retry can send. */
export class WelcomeSendFailedError extends Error {
  constructor(options: { cause: unknown }) {
    super('The welcome email could not be sent', options)
    this.name = 'WelcomeSendFailedError'
  }
}

/**
 * Sends one subscriber's welcome at most once, on every path: claim (conditional write) -> send ->
 * mark sent. Only a refusal the mailer proves (`MailNotAcceptedError`) gives the claim back for a
 * retry; an outcome that cannot be known (a timeout after the request left, a holder that died)
 * ends `uncertain` and is never sent again. Throws when the record must be retried; returns when
 * nothing is left to do for it.
 */
export const sendWelcome =
  (deps: SendWelcomeDeps) =>
  async (subscriber: Subscriber): Promise<SendWelcomeOutcome> => {
    const key = subscriber.email
    const owner = deps.newClaimId()
    const now = deps.clock.now()
    const claim = await deps.ledger.claim(key, owner, now, new Date(now.getTime() + deps.claimLeaseMs))
    if (claim === 'sent') return 'already-sent'
    if (claim === 'uncertain') return 'uncertain'
    if (claim === 'abandoned') {
      deps.onUncertain?.(key, 'lease-expired')
      return 'uncertain'
    }
    if (claim === 'busy') throw new WelcomeInFlightError(key)

    const email = renderWelcomeEmail({
      email: subscriber.email,
      unsubscribeToken: subscriber.unsubscribeToken,
      siteUrl: deps.site.url,
      siteName: deps.site.name,
    })
    let messageId: string
    try {
      ;({ messageId } = await deps.mailer.send({ to: subscriber.email, ...email }))
    } catch (cause) {
      if (cause instanceof MailNotAcceptedError) {
        // Nothing was accepted, so handing the claim back is safe and lets the retry send at once.
        // If even that fails, the claim's lease runs out and it ends uncertain (not resent).
        await deps.ledger.release(key, owner).catch(() => undefined)
        throw new WelcomeSendFailedError({ cause })
      }
      // The request may have reached SES and been accepted: resending could mail twice, so the
      // message ends here. If this write fails too, the expired claim becomes uncertain later.
      await deps.ledger
        .markUncertain(key, owner, 'send-outcome-unknown', deps.clock.now())
        .catch(() => undefined)
      deps.onUncertain?.(key, 'send-outcome-unknown', cause)
      return 'uncertain'
    }
    try {
      await deps.ledger.markSent(key, owner, messageId, deps.clock.now())
    } catch (error) {
      // The email is out. The claim stays, and a claim is never sent again (an expired one becomes
      // uncertain), so failing the record would gain nothing: report it and count the record done.
      deps.onUnrecordedSend?.(key, messageId, error)
    }
    return 'sent'
  }
