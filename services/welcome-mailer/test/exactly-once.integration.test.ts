import { randomUUID } from 'node:crypto'
import type { Subscriber } from '@app/domain/subscribers'
import { localClients } from '@app/local-cloud/clients'
import { localCloud } from '@app/local-cloud/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendWelcomeEnvironment } from '../local'
import { dynamoSentLedger } from '../src/adapters/dynamo-ledger'
import { sesMailer } from '../src/adapters/ses-mailer'
import { testTokens } from '../src/testing/fakes'
import { MessageInFlightError, sendSubscriberEmail } from '../src/use-cases/send-welcome'
import { emailsTo, readInbox, subscriberItem, uniqueAddress } from './support'

/**
 * Exactly one welcome per subscriber with the real ledger (DynamoDB Local, conditional writes) and
 * the real mailer (aws-ses-v2-local), under deliveries that truly overlap: every delivery of the
 * same record starts at once, and one that finds the claim busy retries as the stream would.
 */
const cloud = localCloud()
const clients = localClients(cloud)
const ledgerTable = cloud.outputs['welcome-mailer']?.SentLedgerTableName as string
const since = Math.floor(Date.now() / 1000) - 1
const ledger = dynamoSentLedger(clients.db, ledgerTable)
let deliver: ReturnType<typeof sendSubscriberEmail>

beforeAll(async () => {
  // The deployed function's sender and configuration set, as serverless.yml gives them.
  const env = await sendWelcomeEnvironment(cloud)
  deliver = sendSubscriberEmail({
    mailer: sesMailer(clients.ses, {
      from: env.SENDER_ADDRESS ?? '',
      configurationSet: env.SES_CONFIGURATION_SET ?? '',
    }),
    ledger,
    clock: { now: () => new Date() },
    newClaimId: randomUUID,
    site: { url: 'http://localhost:3000', name: 'Serverless Classics' },
    tokens: testTokens,
    claimLeaseMs: 30_000,
  })
})

afterAll(() => {
  clients.dynamodb.destroy()
  clients.ses.destroy()
})

/** One delivery as the stream handles it: a busy claim is retried (bounded), anything else is the answer. */
const delivery = async (subscriber: Subscriber) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await deliver(subscriber)
    } catch (error) {
      if (!(error instanceof MessageInFlightError) || attempt >= 200) throw error
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
}

describe('exactly once with the real ledger and mailer', () => {
  it.each([2, 5, 12])('%i simultaneous deliveries of one record send one welcome', async (parallel) => {
    const subscriber = subscriberItem(uniqueAddress(`concurrent-${parallel}`)) as Subscriber
    const outcomes = await Promise.all(Array.from({ length: parallel }, () => delivery(subscriber)))
    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1)
    expect(outcomes.filter((outcome) => outcome === 'already-sent')).toHaveLength(parallel - 1)
    expect(emailsTo(await readInbox(cloud.endpoints.ses, since), subscriber.email)).toHaveLength(1)
  })

  it('many subscribers delivered concurrently, each several times, get one welcome each', async () => {
    const subscribers = Array.from(
      { length: 10 },
      (_, index) => subscriberItem(uniqueAddress(`crowd-${index}`)) as Subscriber,
    )
    await Promise.all(subscribers.flatMap((subscriber) => [1, 2, 3].map(() => delivery(subscriber))))
    const inbox = await readInbox(cloud.endpoints.ses, since)
    for (const subscriber of subscribers) expect(emailsTo(inbox, subscriber.email)).toHaveLength(1)
  })
})
