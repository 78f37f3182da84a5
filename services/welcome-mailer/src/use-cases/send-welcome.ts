import { type RenderedEmail, renderConfirmationEmail, renderWelcomeEmail } from '@app/domain/emails'
import type { Subscriber, SubscriptionTokens } from '@app/domain/subscribers'
import {
  type Clock,
  type Mailer,
  MailNotAcceptedError,
  type OutgoingEmail,
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
  /** Signs the links of the emails (confirmation, unsubscribe) with the stage's subscription key. */
  readonly tokens: SubscriptionTokens
  readonly claimLeaseMs: number
  /** Told when the email went out but the ledger could not record it (the claim stays, never resent). */
  readonly onUnrecordedSend?: (key: string, messageId: string, error: unknown) => void
  /** Told once per message that ends `uncertain`: maybe sent, never resent (counted and alarmed). */
  readonly onUncertain?: (key: string, reason: UncertainReason, error?: unknown) => void
}

/** `uncertain`: maybe sent, maybe not, and never sent again (see the README's state machine). */
export type SendWelcomeOutcome = 'sent' | 'already-sent' | 'uncertain'

/** Another delivery of the same message holds a live claim; the stream retries this record. */
export class MessageInFlightError extends Error {
  constructor(readonly key: string) {
    super('Another delivery is sending this message right now')
    this.name = 'MessageInFlightError'
  }
}

/** The mailer proved it did not accept the message; the claim was given back, so a retry can send. */
export class MessageSendFailedError extends Error {
  constructor(options: { cause: unknown }) {
    super('The email could not be sent', options)
    this.name = 'MessageSendFailedError'
  }
}

/** One email to one subscriber, named in the ledger by `key` (no address: ids of the subscription). */
export interface Message {
  readonly key: string
  readonly email: OutgoingEmail
}

/**
 * Which email a subscriber's item calls for: a pending one the confirmation of its current round
 * (the subscribe route starts a new round after the cool-down), a confirmed one the welcome. The
 * keys are per subscription (`subscriberId` is random per subscribe), so an address that
 * unsubscribed and subscribes again is asked to confirm again.
 */
export const messageFor = (
  subscriber: Subscriber,
  deps: Pick<SendWelcomeDeps, 'site' | 'tokens'>,
): Message => {
  const common = {
    email: subscriber.email,
    unsubscribeToken: deps.tokens.unsubscribe(subscriber.subscriberId),
    siteUrl: deps.site.url,
    siteName: deps.site.name,
  }
  const as = (key: string, kind: OutgoingEmail['kind'], rendered: RenderedEmail): Message => ({
    key,
    email: { to: subscriber.email, kind, ...rendered },
  })
  if (subscriber.status === 'confirmed')
    return as(`welcome#${subscriber.subscriberId}`, 'welcome', renderWelcomeEmail(common))
  const round = subscriber.confirmationRound
  const confirmationToken = deps.tokens.confirmation({
    subscriberId: subscriber.subscriberId,
    round,
    // The link lives as long as the pending item (its TTL); one without is good for a day.
    expiresAt: subscriber.expiresAt ?? Math.floor(Date.parse(subscriber.lastConfirmationAt) / 1000) + 86_400,
  })
  return as(
    `confirmation#${subscriber.subscriberId}#${round}`,
    'confirmation',
    renderConfirmationEmail({ ...common, confirmationToken }),
  )
}

/** The email a subscriber's item calls for (`messageFor`), sent at most once (`sendOnce`). */
export const sendSubscriberEmail = (deps: SendWelcomeDeps) => {
  const send = sendOnce(deps)
  return (subscriber: Subscriber) => send(messageFor(subscriber, deps))
}

/**
 * Sends one message at most once, on every path: claim (conditional write) -> send ->
 * mark sent. Only a refusal the mailer proves (`MailNotAcceptedError`) gives the claim back for a
 * retry; an outcome that cannot be known (a timeout after the request left, a holder that died)
 * ends `uncertain` and is never sent again. Throws when the record must be retried; returns when
 * nothing is left to do for it.
 */
export const sendOnce =
  (deps: SendWelcomeDeps) =>
  async ({ key, email }: Message): Promise<SendWelcomeOutcome> => {
    const owner = deps.newClaimId()
    const now = deps.clock.now()
    const claim = await deps.ledger.claim(key, owner, now, new Date(now.getTime() + deps.claimLeaseMs))
    if (claim === 'sent') return 'already-sent'
    if (claim === 'uncertain') return 'uncertain'
    if (claim === 'abandoned') {
      deps.onUncertain?.(key, 'lease-expired')
      return 'uncertain'
    }
    if (claim === 'busy') throw new MessageInFlightError(key)

    let messageId: string
    try {
      ;({ messageId } = await deps.mailer.send(email))
    } catch (cause) {
      if (cause instanceof MailNotAcceptedError) {
        // Nothing was accepted, so handing the claim back is safe and lets the retry send at once.
        // If even that fails, the claim's lease runs out and it ends uncertain (not resent).
        await deps.ledger.release(key, owner).catch(() => undefined)
        throw new MessageSendFailedError({ cause })
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
