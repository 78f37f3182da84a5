import { type NewsletterPost, renderNewsletterEmail } from '@app/domain/emails'
import type { ConfirmedSubscribers, Mailer, Recipient } from '../ports'
import { tokenBucket } from './pacing'
import { type Message, type SendWelcomeDeps, sendOnce } from './send-welcome'

export interface SendNewsletterDeps extends SendWelcomeDeps {
  readonly subscribers: ConfirmedSubscribers
  /** The stage's share of the SES account's send rate for newsletters (messages per second). */
  readonly sendRatePerSecond: number
  readonly sleep: (ms: number) => Promise<void>
}

export interface NewsletterBudget {
  /** Time left in this invocation (Lambda's `getRemainingTimeInMillis`). */
  readonly remainingMs: () => number
  /**
   * No new message starts with less than this left: one send (SES client timeout) plus the ledger
   * write and the pacing wait must finish before the function's timeout kills it mid-send.
   */
  readonly reserveMs: number
}

/** What one pass over the audience did; `left` is what a retry of the record still has to do. */
export interface NewsletterProgress {
  readonly sent: number
  readonly alreadySent: number
  readonly uncertain: number
  readonly failed: number
}

/**
 * The pass stopped before every confirmed subscriber was settled: out of time, or some sends failed
 * in a way a retry can fix (SES refused or throttled, a claim was busy). Thrown so the stream
 * retries the record; the ledger makes the retry skip everyone already settled.
 */
export class NewsletterIncompleteError extends Error {
  constructor(
    readonly slug: string,
    readonly reason: 'out-of-time' | 'sends-failed',
    readonly progress: NewsletterProgress,
  ) {
    super(`Newsletter of ${slug} incomplete (${reason}): a retry continues where the ledger says`)
    this.name = 'NewsletterIncompleteError'
  }
}

/** The newsletter of `post` to one subscriber; one ledger key per post and subscription. */
export const newsletterMessage = (
  post: NewsletterPost,
  recipient: Recipient,
  deps: Pick<SendWelcomeDeps, 'site' | 'tokens'>,
): Message => ({
  key: `newsletter#${post.slug}#${recipient.subscriberId}`,
  email: {
    to: recipient.email,
    kind: 'newsletter',
    ...renderNewsletterEmail({
      email: recipient.email,
      unsubscribeToken: deps.tokens.unsubscribe(recipient.subscriberId),
      siteUrl: deps.site.url,
      siteName: deps.site.name,
      post,
    }),
  },
})

/** A mailer that waits for the bucket's token before each send: only real sends are paced. */
const pacedMailer = (deps: SendNewsletterDeps): Mailer => {
  const bucket = tokenBucket({ ratePerSecond: deps.sendRatePerSecond, burst: 1 })
  return {
    async send(email) {
      const wait = bucket.reserve(deps.clock.now().getTime())
      if (wait > 0) await deps.sleep(wait)
      return deps.mailer.send(email)
    },
  }
}

/**
 * Sends `post` to every confirmed subscriber at most once each (the welcome's ledger and states,
 * keys `newsletter#<slug>#<subscriberId>`), one after another at `sendRatePerSecond`. Unconfirmed
 * and unsubscribed addresses are not in the audience, so they are never mailed. A subscriber whose
 * send failed retryably does not hold back the others; the pass then throws
 * `NewsletterIncompleteError`, as it does when the budget runs out, and a retry of the record sends
 * only what the ledger does not have.
 */
export const sendNewsletter = (deps: SendNewsletterDeps) => {
  const send = sendOnce({ ...deps, mailer: pacedMailer(deps) })
  return async (post: NewsletterPost, budget: NewsletterBudget): Promise<NewsletterProgress> => {
    const progress = { sent: 0, alreadySent: 0, uncertain: 0, failed: 0 }
    let after: string | undefined
    do {
      const page = await deps.subscribers.page(after)
      for (const recipient of page.recipients) {
        if (budget.remainingMs() < budget.reserveMs)
          throw new NewsletterIncompleteError(post.slug, 'out-of-time', progress)
        try {
          const outcome = await send(newsletterMessage(post, recipient, deps))
          if (outcome === 'sent') progress.sent++
          else if (outcome === 'already-sent') progress.alreadySent++
          else progress.uncertain++
        } catch {
          // Refused (claim given back), busy, or the ledger failed before any send: a retry may send.
          progress.failed++
        }
      }
      after = page.next
    } while (after !== undefined)
    if (progress.failed > 0) throw new NewsletterIncompleteError(post.slug, 'sends-failed', progress)
    return progress
  }
}
