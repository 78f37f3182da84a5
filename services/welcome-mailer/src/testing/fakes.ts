import { PUBLISHED_FEED } from '@app/domain/posts'
import { createSubscriptionTokens } from '@app/domain/subscribers'
import { streamRecord } from '@app/runtime/testing'
import { marshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBRecord } from 'aws-lambda'
import {
  type ConfirmedSubscribers,
  type Mailer,
  MailNotAcceptedError,
  type OutgoingEmail,
  type Recipient,
} from '../ports'
import type { SendNewsletterDeps } from '../use-cases/send-newsletter'
import type { SendWelcomeDeps } from '../use-cases/send-welcome'
import { MemorySentLedger } from './memory-ledger'

/** A subscriber item as blog-site stores it: `confirmed` (due a welcome) unless told otherwise. */
export const subscriber = (n: number, status: 'pending' | 'confirmed' = 'confirmed') => {
  const at = new Date(Date.UTC(2026, 10, 22, 3, 0, n % 60)).toISOString()
  return {
    email: `reader${n}@example.com`,
    subscriberId: `subscriber${String(n).padStart(13, '0')}`,
    status,
    subscribedAt: at,
    confirmationRound: 1,
    lastConfirmationAt: at,
    ...(status === 'pending' ? { expiresAt: Math.floor(Date.parse(at) / 1000) + 7 * 86_400 } : {}),
  }
}

/** The local stage's kind of key: long enough, and obviously not a secret. */
export const TEST_TOKEN_SECRET = 'test-only-subscription-token-key-0123456789'
export const testTokens = createSubscriptionTokens(TEST_TOKEN_SECRET)

const SUBSCRIBERS = 'arn:aws:dynamodb:us-east-1:000000000000:table/blog-site-test-subscribers'

/** A subscribers-table stream record as Lambda delivers it (NEW_IMAGE view, INSERT unless told otherwise). */
export const insertRecord = (image: Record<string, unknown>, overrides: Partial<DynamoDBRecord> = {}) =>
  streamRecord(image, { key: ['email'], tableArn: SUBSCRIBERS, overrides })

// This service's tests import Lambda's doubles from one module; the fakes themselves are the kit's.
export { lambdaContext, streamEvent } from '@app/runtime/testing'

/**
 * An inbox standing in for SES: what was accepted, in order. `failures` makes the next sends refused
 * (proven not accepted); `timeouts` makes them time out after SES accepted (outcome unknown).
 */
export class InboxMailer implements Mailer {
  readonly sent: OutgoingEmail[] = []
  failures = 0
  timeouts = 0

  async send(email: OutgoingEmail) {
    await Promise.resolve()
    if (this.failures > 0) {
      this.failures--
      throw new MailNotAcceptedError('Throttling: Maximum sending rate exceeded.', { cause: 'fake' })
    }
    if (this.timeouts > 0) {
      this.timeouts--
      this.sent.push(email)
      throw Object.assign(new Error('socket timed out after the request was sent'), { name: 'TimeoutError' })
    }
    this.sent.push(email)
    return { messageId: `msg-${this.sent.length}` }
  }

  countTo(address: string) {
    return this.sent.filter((email) => email.to === address).length
  }
}

export class ManualClock {
  constructor(public ms = Date.UTC(2026, 10, 22, 3)) {}
  now = () => new Date(this.ms)
  advance(ms: number) {
    this.ms += ms
  }
}

export const fakeDeps = (overrides: Partial<SendWelcomeDeps> = {}) => {
  let claims = 0
  const deps = {
    mailer: new InboxMailer(),
    ledger: new MemorySentLedger(),
    clock: new ManualClock(),
    newClaimId: () => `claim-${++claims}`,
    site: { url: 'https://blog.example.com', name: 'Serverless Classics' },
    tokens: testTokens,
    claimLeaseMs: 60_000,
  }
  return { ...deps, ...overrides } as typeof deps & SendWelcomeDeps
}

/** Confirmed subscribers as blog-site's `byStatus` index pages them (in subscriberId order). */
export class PagedSubscribers implements ConfirmedSubscribers {
  pages = 0
  constructor(
    readonly recipients: Recipient[],
    readonly pageSize = 3,
  ) {}

  async page(after?: string) {
    await Promise.resolve()
    this.pages++
    const start = after === undefined ? 0 : Number(after)
    const end = start + this.pageSize
    return {
      recipients: this.recipients.slice(start, end),
      ...(end < this.recipients.length ? { next: String(end) } : {}),
    }
  }
}

export const recipients = (count: number): Recipient[] =>
  Array.from({ length: count }, (_, n) => ({
    email: `reader${n}@example.com`,
    subscriberId: subscriber(n).subscriberId,
  }))

export const newsletterPost = {
  slug: 'hello-newsletter',
  title: 'Hello, newsletter',
  summary: 'What is new.',
  body: 'The body.',
}

/** The welcome's fakes plus an audience, a rate and a sleep that moves the fake clock. */
export const fakeNewsletterDeps = (audience: Recipient[], overrides: Partial<SendNewsletterDeps> = {}) => {
  const base = fakeDeps()
  const slept: number[] = []
  const deps = {
    ...base,
    subscribers: new PagedSubscribers(audience),
    sendRatePerSecond: 10,
    slept,
    sleep: async (ms: number) => {
      slept.push(ms)
      base.clock.advance(ms)
    },
  }
  return { ...deps, ...overrides } as typeof deps & SendNewsletterDeps
}

const POSTS = 'arn:aws:dynamodb:us-east-1:000000000000:table/blog-site-test-posts'

/** A post item as blog-site stores it (published: in the feed). */
export const postItem = (slug = newsletterPost.slug, changes: Record<string, unknown> = {}) => ({
  ...newsletterPost,
  slug,
  tags: [],
  author: 'ada',
  authorSub: 'sub-ada',
  publishedAt: '2026-11-22T03:00:00.000Z',
  updatedAt: '2026-11-22T03:00:00.000Z',
  version: 1,
  feed: PUBLISHED_FEED,
  ...changes,
})

/** A posts-table stream record (NEW_AND_OLD_IMAGES): INSERT without `old`, MODIFY with it. */
export const postRecord = (image: Record<string, unknown>, old?: Record<string, unknown>) =>
  withOldImage(streamRecord(image, { key: ['slug'], tableArn: POSTS }), old)

const withOldImage = (record: DynamoDBRecord, old?: Record<string, unknown>): DynamoDBRecord =>
  old
    ? {
        ...record,
        eventName: 'MODIFY',
        dynamodb: {
          ...record.dynamodb,
          OldImage: marshall(old, { removeUndefinedValues: true }) as never,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      }
    : { ...record, dynamodb: { ...record.dynamodb, StreamViewType: 'NEW_AND_OLD_IMAGES' } }
