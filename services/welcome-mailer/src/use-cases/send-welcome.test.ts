import { describe, expect, it } from 'vitest'
import { ClaimLostError } from '../ports'
import { fakeDeps, subscriber } from '../testing/fakes'
import { sendWelcome, WelcomeInFlightError, WelcomeSendFailedError } from './send-welcome'

describe('sendWelcome', () => {
  it('sends the rendered welcome to the subscriber and records it', async () => {
    const deps = fakeDeps()
    await expect(sendWelcome(deps)(subscriber(1))).resolves.toBe('sent')
    expect(deps.mailer.sent).toEqual([
      expect.objectContaining({
        to: 'reader1@example.com',
        subject: 'Welcome to Serverless Classics',
        unsubscribeUrl: 'https://blog.example.com/unsubscribe?token=token00000000000000001',
      }),
    ])
    expect(deps.ledger.entries.get('reader1@example.com')).toMatchObject({
      state: 'sent',
      messageId: 'msg-1',
    })
  })

  it('does nothing for a subscriber already welcomed', async () => {
    const deps = fakeDeps()
    await sendWelcome(deps)(subscriber(1))
    await expect(sendWelcome(deps)(subscriber(1))).resolves.toBe('already-sent')
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
  })

  it('lets only one of two concurrent deliveries send; the other asks to be retried', async () => {
    const deps = fakeDeps()
    const results = await Promise.allSettled([
      sendWelcome(deps)(subscriber(1)),
      sendWelcome(deps)(subscriber(1)),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: expect.any(WelcomeInFlightError),
    })
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
  })

  it('gives the claim back when the mailer fails, so the retry sends', async () => {
    const deps = fakeDeps()
    deps.mailer.failures = 1
    await expect(sendWelcome(deps)(subscriber(1))).rejects.toBeInstanceOf(WelcomeSendFailedError)
    expect(deps.ledger.entries.has('reader1@example.com')).toBe(false)
    await expect(sendWelcome(deps)(subscriber(1))).resolves.toBe('sent')
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
  })

  it('never sends a claim whose holder died: it ends uncertain, reported once', async () => {
    const reports: unknown[] = []
    const deps = fakeDeps({ onUncertain: (...args) => reports.push(args) })
    await deps.ledger.claim(
      'reader1@example.com',
      'crashed',
      deps.clock.now(),
      new Date(deps.clock.ms + deps.claimLeaseMs),
    )
    await expect(sendWelcome(deps)(subscriber(1))).rejects.toBeInstanceOf(WelcomeInFlightError)
    deps.clock.advance(deps.claimLeaseMs + 1)
    await expect(sendWelcome(deps)(subscriber(1))).resolves.toBe('uncertain')
    await expect(sendWelcome(deps)(subscriber(1))).resolves.toBe('uncertain')
    expect(deps.mailer.sent).toHaveLength(0)
    expect(reports).toEqual([['reader1@example.com', 'lease-expired']])
  })

  it('ends uncertain when SES may have accepted (a timeout), and never sends again', async () => {
    const reports: unknown[] = []
    const deps = fakeDeps({ onUncertain: (key, reason) => reports.push([key, reason]) })
    deps.mailer.timeouts = 1
    await expect(sendWelcome(deps)(subscriber(1))).resolves.toBe('uncertain')
    deps.clock.advance(10 * deps.claimLeaseMs)
    await expect(sendWelcome(deps)(subscriber(1))).resolves.toBe('uncertain')
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
    expect(deps.ledger.entries.get('reader1@example.com')).toMatchObject({
      state: 'uncertain',
      reason: 'send-outcome-unknown',
    })
    expect(reports).toEqual([['reader1@example.com', 'send-outcome-unknown']])
  })

  it('counts the record done when the email went out but the ledger write failed, and never resends it', async () => {
    const reports: unknown[] = []
    const deps = fakeDeps({ onUnrecordedSend: (...args) => reports.push(args) })
    const markSent = deps.ledger.markSent.bind(deps.ledger)
    deps.ledger.markSent = async (key) => {
      throw new ClaimLostError(key)
    }
    await expect(sendWelcome(deps)(subscriber(1))).resolves.toBe('sent')
    expect(reports).toEqual([['reader1@example.com', 'msg-1', expect.any(ClaimLostError)]])
    deps.ledger.markSent = markSent
    deps.clock.advance(deps.claimLeaseMs + 1)
    await expect(sendWelcome(deps)(subscriber(1))).resolves.toBe('uncertain')
    expect(deps.mailer.countTo('reader1@example.com')).toBe(1)
  })
})
