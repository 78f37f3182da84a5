import { renderWelcomeEmail } from '@app/domain/emails'
import type { Subscriber } from '@app/domain/subscribers'
import type { Clock, Mailer, SentLedger } from '../ports'

export interface SendWelcomeDeps {
  readonly mailer: Mailer
  readonly ledger: SentLedger
  readonly clock: Clock
  /** A fresh id per delivery attempt: whose claim it is. */
  readonly newClaimId: () => string
  readonly site: { readonly url: string; readonly name: string }
  readonly claimLeaseMs: number
  /** Told when the email went out but the ledger could not record it (the crash window, narrowed). */
  readonly onUnrecordedSend?: (email: string, messageId: string, error: unknown) => void
}

export type SendWelcomeOutcome = 'sent' | 'already-sent'

/** Another delivery of the same subscriber holds a live claim; the stream retries this record. */
export class WelcomeInFlightError extends Error {
  constructor(readonly email: string) {
    super('Another delivery is sending this welcome right now')
    this.name = 'WelcomeInFlightError'
  }
}

/** The mailer refused or failed; the claim was given back, so a retry can send. */
export class WelcomeSendFailedError extends Error {
  constructor(options: { cause: unknown }) {
    super('The welcome email could not be sent', options)
    this.name = 'WelcomeSendFailedError'
  }
}

/**
 * Sends one subscriber's welcome at most once per address, and at least once as long as the stream
 * keeps redelivering failures: claim (conditional write) -> send -> mark sent.
 * Throws when the record must be retried; returns when nothing is left to do for it.
 */
export const sendWelcome =
  (deps: SendWelcomeDeps) =>
  async (subscriber: Subscriber): Promise<SendWelcomeOutcome> => {
    const key = subscriber.email
    const owner = deps.newClaimId()
    const now = deps.clock.now()
    const claim = await deps.ledger.claim(key, owner, now, new Date(now.getTime() + deps.claimLeaseMs))
    if (claim === 'sent') return 'already-sent'
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
      // Nothing was accepted, so handing the claim back is safe and lets the retry send at once.
      // If even that fails, the lease runs out and the retry after it sends.
      await deps.ledger.release(key, owner).catch(() => undefined)
      throw new WelcomeSendFailedError({ cause })
    }
    try {
      await deps.ledger.markSent(key, owner, messageId, deps.clock.now())
    } catch (error) {
      // The email is out. Failing the record now would only make the retry send it again once the
      // lease ends, so report it and count the record done: see the README's crash window.
      deps.onUnrecordedSend?.(key, messageId, error)
    }
    return 'sent'
  }
