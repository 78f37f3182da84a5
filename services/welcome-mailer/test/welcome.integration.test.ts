/**
 * The whole path against the local stand-ins: a subscriber written to blog-site's table (DynamoDB
 * Local) -> its stream, read by the local event source mapping of local.ts (real GetRecords) ->
 * the sendWelcome handler -> aws-ses-v2-local. Plus the real ledger adapter under redelivery.
 */

import { eventually } from '@app/domain/testing'
import { localClients } from '@app/local-cloud/clients'
import { localCloud, useFunctionEnv } from '@app/local-cloud/testing'
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { sendWelcomeEnvironment } from '../local'
import { dynamoSentLedger } from '../src/adapters/dynamo-ledger'
import {
  deliverySchedules,
  expectAtMostOnceAndAccounted,
  playSchedule,
} from '../src/testing/delivery-schedule'
import { insertRecord, lambdaContext, streamEvent } from '../src/testing/fakes'
import {
  emailsTo,
  header,
  linkToken,
  putSubscriber,
  readInbox,
  subscriberItem,
  uniqueAddress,
  waitForEmailTo,
} from './support'

/**
 * Schedules against DynamoDB Local: as many as the previous, lighter schedules had (60), each now
 * heavier (a stuck claim under a clock that barely moves is retried ten times, one round trip each;
 * 30 runs took 13.2 s on a 2-core machine at load 20), hence the test's own timeout. The in-memory
 * property test runs the same schedules 1,000 times.
 */
const REAL_LEDGER_RUNS = 60
const cloud = localCloud()
const clients = localClients(cloud)
const { dynamodb, db } = clients
const subscribersTable = cloud.outputs['blog-site']?.SubscribersTableName as string
const ledgerTable = cloud.outputs['welcome-mailer']?.SentLedgerTableName as string
const ses = cloud.endpoints.ses
/** Polls read only this file's mail (epoch seconds, as the SES stand-in's store filters). */
const since = { sinceSeconds: Math.floor(Date.now() / 1000) - 1 }

/** The function as Lambda loads it (config at module scope), with its deployed environment over the cloud's. */
const loadHandler = async () => {
  useFunctionEnv(await sendWelcomeEnvironment(cloud))
  return (await import('../src/functions/sendWelcome/handler')).handler
}

afterAll(() => {
  dynamodb.destroy()
  clients.ses.destroy()
})

/**
 * Writes a subscriber, waits for its welcome, then for the welcome of a later subscriber: a retry
 * of the first record (and so a duplicate) could only come before the later record on the ordered
 * stream, so by then the first address's count is final.
 */
const subscribeAndSettle = async (item: Record<string, unknown> & { email: string }) => {
  await putSubscriber(dynamodb, subscribersTable, item)
  await waitForEmailTo(ses, item.email, since)
  return settle()
}

/** Waits for the email of a later record: by then every earlier record's retries are done. */
const settle = async () => {
  const barrier = uniqueAddress('barrier')
  await putSubscriber(dynamodb, subscribersTable, subscriberItem(barrier))
  return waitForEmailTo(ses, barrier, since)
}

describe('subscribe -> stream -> welcome email', () => {
  it('double opt-in through the blog: one confirmation, the welcome only after confirming, both with one-click unsubscribe', async () => {
    // Through the site, as a reader's browser: the API refuses calls that bypass the distribution.
    const api = String(cloud.endpoints.blogSite)
    const address = uniqueAddress('api-reader')
    const post = (path: string, body: unknown) =>
      fetch(`${api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    // The address as a person may type it; blog-site stores (and we mail) the normalised form. The
    // repeat, within the cool-down, asks for no second confirmation (nobody can mail-bomb it).
    expect((await post('/api/subscribers', { email: `  ${address.toUpperCase()} ` })).status).toBe(202)
    expect((await post('/api/subscribers', { email: address })).status).toBe(202)
    const [confirmation] = emailsTo(await waitForEmailTo(ses, address, since), address)
    expect(confirmation?.subject).toBe('Confirm your subscription to Serverless Classics')
    await settle()
    let inbox = await readInbox(ses, since.sinceSeconds)
    expect(emailsTo(inbox, address)).toHaveLength(1)

    const token = linkToken(confirmation, '/confirm')
    expect((await post('/api/subscribers/confirm', { token })).status).toBe(200)
    inbox = await eventually(
      `the welcome to ${address}`,
      () => readInbox(ses, since.sinceSeconds),
      (mail) => emailsTo(mail, address).length >= 2,
      { within: 40_000, every: 100 },
    )
    // Confirming twice is a 409, and sends nothing.
    const again = await post('/api/subscribers/confirm', { token })
    expect(again.status).toBe(409)
    expect(again.headers.get('content-type')).toBe('application/problem+json')
    await settle()
    const mine = emailsTo(await readInbox(ses, since.sinceSeconds), address)
    expect(mine.map((email) => email.subject)).toEqual([
      'Confirm your subscription to Serverless Classics',
      'Welcome to Serverless Classics',
    ])
    for (const email of mine) {
      expect(header(email, 'List-Unsubscribe')).toMatch(
        /^<http:\/\/localhost:\d+\/api\/subscribers\/unsubscribe\?token=u\.[^>]+>$/,
      )
      expect(header(email, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click')
    }
  })

  it('unsubscribes in one click through the blog local edge, which forgets the address', async () => {
    const subscriber = subscriberItem(uniqueAddress('one-click'))
    const [welcome] = emailsTo(await subscribeAndSettle(subscriber), subscriber.email)
    const oneClick = new URL(header(welcome, 'List-Unsubscribe')?.slice(1, -1) ?? '')
    // What a mail client does (RFC 8058), against the edge that stands in for CloudFront.
    const answer = await fetch(`${cloud.endpoints.blogSite}${oneClick.pathname}${oneClick.search}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(answer.status).toBe(200)
    const { Item } = await dynamodb.send(
      new GetItemCommand({
        TableName: subscribersTable,
        Key: { email: { S: subscriber.email } },
        ConsistentRead: true,
      }),
    )
    expect(Item).toBeUndefined()
  })

  it('puts exactly one welcome in the inbox, to the confirmed subscriber, with the unsubscribe links', async () => {
    const subscriber = subscriberItem(uniqueAddress('reader'))
    const inbox = await subscribeAndSettle(subscriber)
    const mine = emailsTo(inbox, subscriber.email)
    expect(mine).toHaveLength(1)
    const [email] = mine
    expect(email?.subject).toBe('Welcome to Serverless Classics')
    expect(email?.from).toBe('Serverless Classics <welcome@example.com>')
    const token = linkToken(email, '/unsubscribe')
    expect(email?.body.html).toContain(`/unsubscribe?token=${token}`)
    expect(header(email, 'List-Unsubscribe')).toContain(`/api/subscribers/unsubscribe?token=${token}`)
    // The ledger names the message by the subscription's id: no address in it.
    const { Item } = await dynamodb.send(
      new GetItemCommand({
        TableName: ledgerTable,
        Key: { messageKey: { S: `welcome#${subscriber.subscriberId}` } },
        ConsistentRead: true,
      }),
    )
    expect(Item?.state?.S).toBe('sent')
    expect(Item?.messageId?.S).toBe(email?.messageId)
    expect(JSON.stringify(Item)).not.toContain(subscriber.email)
  })

  it('does not send again when the same record is delivered again after it was sent', async () => {
    const subscriber = subscriberItem(uniqueAddress('redelivered'))
    await subscribeAndSettle(subscriber)
    // The stream is at-least-once: replay the INSERT into the same handler the poller runs.
    const handler = await loadHandler()
    const replay = () => handler(streamEvent([insertRecord(subscriber)]), lambdaContext())
    expect(await replay()).toEqual({ batchItemFailures: [] })
    expect(emailsTo(await readInbox(ses, since.sinceSeconds), subscriber.email)).toHaveLength(1)
  })

  it('sends one welcome when deliveries of a record never seen before run at the same time', async () => {
    // Not written to the table, so the poller never sees it: only these deliveries race, from
    // before any claim exists, on the real ledger and the real SES stand-in.
    const subscriber = subscriberItem(uniqueAddress('racing'))
    const handler = await loadHandler()
    const record = insertRecord(subscriber)
    const deliver = () => handler(streamEvent([record]), lambdaContext())
    const first = await Promise.allSettled(Array.from({ length: 6 }, deliver))
    // A delivery that found the claim busy fails its one record (the mapping retries it); the
    // retry finds it sent.
    const retried = first.filter((outcome) => outcome.status === 'rejected')
    expect(first.length - retried.length).toBeGreaterThanOrEqual(1)
    for (const _ of retried) expect(await deliver()).toEqual({ batchItemFailures: [] })
    expect(emailsTo(await readInbox(ses, since.sinceSeconds), subscriber.email)).toHaveLength(1)
  })

  it('does not let a poisoned record hold back the next subscriber', async () => {
    const poisoned = { ...subscriberItem(uniqueAddress('poisoned')), subscriberId: 'short' }
    const next = subscriberItem(uniqueAddress('after-poison'))
    await putSubscriber(dynamodb, subscribersTable, poisoned)
    await putSubscriber(dynamodb, subscribersTable, next)
    const inbox = await waitForEmailTo(ses, next.email, since)
    expect(emailsTo(inbox, next.email)).toHaveLength(1)
    expect(emailsTo(inbox, poisoned.email)).toHaveLength(0)
  })
})

describe('the DynamoDB ledger under generated delivery schedules', () => {
  it('keeps at most one email per subscriber, and exactly one without unknowable faults, with real conditional writes', async () => {
    const ledger = dynamoSentLedger(db, ledgerTable)
    let run = 0
    const prefix = uniqueAddress('schedule').split('@')[0]
    await fc.assert(
      fc.asyncProperty(deliverySchedules(), async (schedule) => {
        const result = await playSchedule(schedule, { ledger, namespace: `${prefix}-${++run}` })
        expectAtMostOnceAndAccounted(result)
      }),
      { numRuns: REAL_LEDGER_RUNS },
    )
  }, 180_000)
})
