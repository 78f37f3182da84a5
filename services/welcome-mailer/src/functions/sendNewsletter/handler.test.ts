import { loadWithEnv } from '@app/runtime/testing'
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import {
  lambdaContext,
  postItem,
  postRecord,
  recipients,
  streamEvent,
  TEST_TOKEN_SECRET,
} from '../../testing/fakes'

const ENV = {
  SENT_LEDGER_TABLE_NAME: 'welcome-mailer-test-sent',
  SENDER_ADDRESS: 'hello@blog.example.com',
  SES_CONFIGURATION_SET: 'welcome-mailer-test',
  SITE_URL: 'https://blog.example.com',
  SITE_NAME: 'Serverless Classics',
  SUBSCRIPTION_TOKEN_SECRET: TEST_TOKEN_SECRET,
  CONFIRMED_SUBSCRIBERS_INDEX_ARN:
    'arn:aws:dynamodb:us-east-1:000000000000:table/blog-site-test-subscribers/index/byStatus',
  NEWSLETTER_SEND_RATE: '1000',
  NEWSLETTER_RESERVE_SECONDS: '1',
}
const ses = mockClient(SESv2Client)
const db = mockClient(DynamoDBDocumentClient)
const { handler } = await loadWithEnv(() => import('./handler'), ENV)

describe('sendNewsletter handler', () => {
  it('queries only the confirmed partition of the configured index, page by page, and mails each with its one-click header', async () => {
    const [first, second] = recipients(2)
    db.on(QueryCommand)
      .resolvesOnce({ Items: [{ ...first, status: 'confirmed' }], LastEvaluatedKey: { email: first?.email } })
      .resolvesOnce({ Items: [{ ...second, status: 'confirmed' }] })
    db.on(UpdateCommand).resolves({})
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' })
    const response = await handler(streamEvent([postRecord(postItem())]), lambdaContext('sendNewsletter'))
    expect(response).toEqual({ batchItemFailures: [] })
    const queries = db.commandCalls(QueryCommand).map(({ args: [query] }) => query.input)
    expect(queries).toHaveLength(2)
    for (const query of queries)
      expect(query).toMatchObject({
        TableName: 'blog-site-test-subscribers',
        IndexName: 'byStatus',
        KeyConditionExpression: '#status = :confirmed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':confirmed': 'confirmed' },
      })
    expect(queries[1]?.ExclusiveStartKey).toEqual({ email: first?.email })
    const sends = ses.commandCalls(SendEmailCommand).map(({ args: [send] }) => send.input)
    expect(sends.map((send) => send.Destination?.ToAddresses)).toEqual([[first?.email], [second?.email]])
    expect(sends[0]).toMatchObject({
      FromEmailAddress: ENV.SENDER_ADDRESS,
      ConfigurationSetName: ENV.SES_CONFIGURATION_SET,
      EmailTags: [{ Name: 'category', Value: 'newsletter' }],
    })
    expect(sends[0]?.Content?.Simple?.Headers).toEqual([
      {
        Name: 'List-Unsubscribe',
        Value: expect.stringMatching(
          /^<https:\/\/blog\.example\.com\/api\/subscribers\/unsubscribe\?token=u\./,
        ),
      },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ])
    const ledger = db.commandCalls(UpdateCommand).map(({ args: [update] }) => update.input)
    expect(new Set(ledger.map((update) => update.TableName))).toEqual(new Set([ENV.SENT_LEDGER_TABLE_NAME]))
    expect(ledger[0]?.Key).toEqual({ messageKey: `newsletter#${postItem().slug}#${first?.subscriberId}` })
  })
})
