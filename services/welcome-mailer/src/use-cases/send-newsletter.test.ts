import { describe, expect, it } from 'vitest'
import type { Mailer, OutgoingEmail } from '../ports'
import { fakeNewsletterDeps, newsletterPost, recipients } from '../testing/fakes'
import { NewsletterIncompleteError, sendNewsletter } from './send-newsletter'

const plenty = { remainingMs: () => 900_000, reserveMs: 25_000 }

describe('sendNewsletter', () => {
  it('mails every confirmed subscriber of every page once, with their own one-click unsubscribe', async () => {
    const audience = recipients(7)
    const deps = fakeNewsletterDeps(audience)
    expect(await sendNewsletter(deps)(newsletterPost, plenty)).toEqual({
      sent: 7,
      alreadySent: 0,
      uncertain: 0,
      failed: 0,
    })
    expect(deps.subscribers.pages).toBe(3)
    for (const { email, subscriberId } of audience) expect(deps.mailer.countTo(email)).toBe(1)
    const first = deps.mailer.sent[0] as OutgoingEmail
    expect(first).toMatchObject({
      kind: 'newsletter',
      subject: 'New on Serverless Classics: Hello, newsletter',
    })
    expect(first.oneClickUnsubscribeUrl).toBe(
      `https://blog.example.com/api/subscribers/unsubscribe?token=${deps.tokens.unsubscribe(audience[0]?.subscriberId ?? '')}`,
    )
    expect(deps.ledger.entries.has(`newsletter#${newsletterPost.slug}#${audience[0]?.subscriberId}`)).toBe(
      true,
    )
  })

  it('resends nobody when the record is delivered again, or twice at the same time', async () => {
    const audience = recipients(6)
    const deps = fakeNewsletterDeps(audience)
    const send = sendNewsletter(deps)
    await send(newsletterPost, plenty)
    expect((await send(newsletterPost, plenty)).alreadySent).toBe(6)
    // Two deliveries racing on a new post: a claim one holds is busy for the other, which fails
    // the record; its retry finds everything sent.
    const post = { ...newsletterPost, slug: 'second-post' }
    const racing = await Promise.allSettled([send(post, plenty), send(post, plenty)])
    for (const outcome of racing)
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(NewsletterIncompleteError)
    await send(post, plenty)
    for (const { email } of audience) expect(deps.mailer.countTo(email)).toBe(2)
  })

  it('goes on past a refused send, fails the record, and the retry sends only the refused one', async () => {
    const audience = recipients(5)
    const deps = fakeNewsletterDeps(audience)
    const send = sendNewsletter(deps)
    deps.mailer.failures = 1
    const first = await send(newsletterPost, plenty).catch((error: unknown) => error)
    expect(first).toBeInstanceOf(NewsletterIncompleteError)
    expect((first as NewsletterIncompleteError).progress).toMatchObject({ sent: 4, failed: 1 })
    expect(await send(newsletterPost, plenty)).toMatchObject({ sent: 1, alreadySent: 4 })
    for (const { email } of audience) expect(deps.mailer.countTo(email)).toBe(1)
  })

  it('never resends a newsletter whose send outcome is unknown (SES accepted, answer lost)', async () => {
    const audience = recipients(3)
    const uncertain: string[] = []
    const deps = fakeNewsletterDeps(audience, { onUncertain: (key) => uncertain.push(key) })
    deps.mailer.timeouts = 1
    const send = sendNewsletter(deps)
    expect(await send(newsletterPost, plenty)).toMatchObject({ sent: 2, uncertain: 1 })
    expect(await send(newsletterPost, plenty)).toMatchObject({ alreadySent: 2, uncertain: 1 })
    for (const { email } of audience) expect(deps.mailer.countTo(email)).toBe(1)
    expect(uncertain).toEqual([`newsletter#${newsletterPost.slug}#${audience[0]?.subscriberId}`])
  })

  it('stops before the budget runs out, and the retries continue where the ledger says', async () => {
    const audience = recipients(10)
    const deps = fakeNewsletterDeps(audience)
    const send = sendNewsletter(deps)
    // Each invocation has 1 s and keeps 0.5 s in reserve; a paced send costs 100 ms (10/s), skipping
    // a settled subscriber no paced time.
    const invocation = () => {
      const deadline = deps.clock.now().getTime() + 1_000
      return { remainingMs: () => deadline - deps.clock.now().getTime(), reserveMs: 500 }
    }
    const outcomes: unknown[] = []
    for (let attempt = 0; attempt < 3; attempt++)
      outcomes.push(await send(newsletterPost, invocation()).catch((error: unknown) => error))
    expect(outcomes[0]).toBeInstanceOf(NewsletterIncompleteError)
    // 0.5 s of sends at 10/s after the first (the pacing wait comes after the check: the reserve covers it).
    expect(outcomes[0]).toMatchObject({ reason: 'out-of-time', progress: { sent: 7 } })
    expect(outcomes[1]).toEqual({ sent: 3, alreadySent: 7, uncertain: 0, failed: 0 })
    expect(outcomes[2]).toMatchObject({ sent: 0, alreadySent: 10 })
    for (const { email } of audience) expect(deps.mailer.countTo(email)).toBe(1)
  })

  it('paces real sends at the stage rate, and a retry over sent subscribers waits for nothing', async () => {
    const audience = recipients(30)
    const deps = fakeNewsletterDeps(audience, { sendRatePerSecond: 10 })
    const at: number[] = []
    const timed: Mailer = {
      send: (email) => {
        at.push(deps.clock.now().getTime())
        return deps.mailer.send(email)
      },
    }
    const send = sendNewsletter({ ...deps, mailer: timed })
    await send(newsletterPost, plenty)
    expect(at).toHaveLength(30)
    for (let i = 1; i < at.length; i++)
      expect((at[i] as number) - (at[i - 1] as number)).toBeGreaterThanOrEqual(100)
    const waited = deps.slept.length
    await send(newsletterPost, plenty)
    expect(deps.slept.length).toBe(waited)
  })
})
