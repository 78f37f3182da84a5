import { describe, expect, it } from 'vitest'
import { ClaimLostError } from '../ports'
import { fakeDeps, subscriber, testTokens } from '../testing/fakes'
import { MessageInFlightError, MessageSendFailedError, sendSubscriberEmail } from './send-welcome'

/** The ledger names the message, never the address. */
const WELCOME_1 = `welcome#${subscriber(1).subscriberId}`

describe('sendSubscriberEmail', () => {
  it('asks a pending subscriber to confirm, with a signed link that names the subscription and expires with it', async () => {
    const deps = fakeDeps()
    const pending = subscriber(1, 'pending')
    await expect(sendSubscriberEmail(deps)(pending)).resolves.toBe('sent')
    const [email] = deps.mailer.sent
    expect(email).toMatchObject({ to: 'reader1@example.com', kind: 'confirmation' })
    const token =
      new URL(
        /https:\/\/blog\.example\.com\/confirm\?token=[^\s"]+/.exec(email?.text ?? '')?.[0] ?? '',
      ).searchParams.get('token') ?? ''
    expect(testTokens.verifyConfirmation(token, new Date(deps.clock.ms))).toEqual({
      subscriberId: pending.subscriberId,
      round: 1,
    })
    expect(() => testTokens.verifyConfirmation(token, new Date((pending.expiresAt ?? 0) * 1000))).toThrow(
      /expired/,
    )
    expect([...deps.ledger.entries.keys()]).toEqual([`confirmation#${pending.subscriberId}#1`])
  })

  it('sends one confirmation per round, and the welcome only once confirmed', async () => {
    const deps = fakeDeps()
    const pending = subscriber(1, 'pending')
    await sendSubscriberEmail(deps)(pending)
    await expect(sendSubscriberEmail(deps)(pending)).resolves.toBe('already-sent')
    await sendSubscriberEmail(deps)({ ...pending, confirmationRound: 2 })
    expect(deps.mailer.sent.map((email) => email.kind)).toEqual(['confirmation', 'confirmation'])
    const { expiresAt: _, ...confirmed } = { ...pending, status: 'confirmed' as const }
    await sendSubscriberEmail(deps)(confirmed)
    await sendSubscriberEmail(deps)(confirmed)
    expect(deps.mailer.sent.map((email) => email.kind)).toEqual(['confirmation', 'confirmation', 'welcome'])
  })

  it('sends the rendered welcome to the subscriber and records it', async () => {
    const deps = fakeDeps()
    await expect(sendSubscriberEmail(deps)(subscriber(1))).resolves.toBe('sent')
    expect(deps.mailer.sent).toEqual([
      expect.objectContaining({
        to: 'reader1@example.com',
        subject: 'Welcome to Serverless Classics',
        kind: 'welcome',
        unsubscribeUrl: `https://blog.example.com/unsubscribe?token=${testTokens.unsubscribe(subscriber(1).subscriberId)}`,
        oneClickUnsubscribeUrl: `https://blog.example.com/api/subscribers/unsubscribe?token=${testTokens.unsubscribe(subscriber(1).subscriberId)}`,
      }),
    ])
    expect(deps.ledger.entries.get(WELCOME_1)).toMatchObject({
      state: 'sent',
      messageId: 'msg-1',
    })
  })

  it('does nothing for a subscriber already welcomed', async () => {
    const deps = fakeDeps()
    await sendSubscriberEmail(deps)(subscriber(1))
    await expect(sendSubscriberEmail(deps)(subscriber(1))).resolves.toBe('already-sent')
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
  })

  it('lets only one of two concurrent deliveries send; the other asks to be retried', async () => {
    const deps = fakeDeps()
    const results = await Promise.allSettled([
      sendSubscriberEmail(deps)(subscriber(1)),
      sendSubscriberEmail(deps)(subscriber(1)),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: expect.any(MessageInFlightError),
    })
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
  })

  it('gives the claim back when the mailer fails, so the retry sends', async () => {
    const deps = fakeDeps()
    deps.mailer.failures = 1
    await expect(sendSubscriberEmail(deps)(subscriber(1))).rejects.toBeInstanceOf(MessageSendFailedError)
    expect(deps.ledger.entries.has(WELCOME_1)).toBe(false)
    await expect(sendSubscriberEmail(deps)(subscriber(1))).resolves.toBe('sent')
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
  })

  it('never sends a claim whose holder died: it ends uncertain, reported once', async () => {
    const reports: unknown[] = []
    const deps = fakeDeps({ onUncertain: (...args) => reports.push(args) })
    await deps.ledger.claim(
      WELCOME_1,
      'crashed',
      deps.clock.now(),
      new Date(deps.clock.ms + deps.claimLeaseMs),
    )
    await expect(sendSubscriberEmail(deps)(subscriber(1))).rejects.toBeInstanceOf(MessageInFlightError)
    deps.clock.advance(deps.claimLeaseMs + 1)
    await expect(sendSubscriberEmail(deps)(subscriber(1))).resolves.toBe('uncertain')
    await expect(sendSubscriberEmail(deps)(subscriber(1))).resolves.toBe('uncertain')
    expect(deps.mailer.sent).toHaveLength(0)
    expect(reports).toEqual([[WELCOME_1, 'lease-expired']])
  })

  it('ends uncertain when SES may have accepted (a timeout), and never sends again', async () => {
    const reports: unknown[] = []
    const deps = fakeDeps({ onUncertain: (key, reason) => reports.push([key, reason]) })
    deps.mailer.timeouts = 1
    await expect(sendSubscriberEmail(deps)(subscriber(1))).resolves.toBe('uncertain')
    deps.clock.advance(10 * deps.claimLeaseMs)
    await expect(sendSubscriberEmail(deps)(subscriber(1))).resolves.toBe('uncertain')
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
    expect(deps.ledger.entries.get(WELCOME_1)).toMatchObject({
      state: 'uncertain',
      reason: 'send-outcome-unknown',
    })
    expect(reports).toEqual([[WELCOME_1, 'send-outcome-unknown']])
  })

  it('counts the record done when the email went out but the ledger write failed, and never resends it', async () => {
    const reports: unknown[] = []
    const deps = fakeDeps({ onUnrecordedSend: (...args) => reports.push(args) })
    const markSent = deps.ledger.markSent.bind(deps.ledger)
    deps.ledger.markSent = async (key) => {
      throw new ClaimLostError(key)
    }
    await expect(sendSubscriberEmail(deps)(subscriber(1))).resolves.toBe('sent')
    expect(reports).toEqual([[WELCOME_1, 'msg-1', expect.any(ClaimLostError)]])
    deps.ledger.markSent = markSent
    deps.clock.advance(deps.claimLeaseMs + 1)
    await expect(sendSubscriberEmail(deps)(subscriber(1))).resolves.toBe('uncertain')
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
  })
})
