import { captureLogs, loadWithEnv } from '@app/runtime/testing'
import { MessageRejected, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { insertRecord, lambdaContext, streamEvent, subscriber, TEST_TOKEN_SECRET } from '../../testing/fakes'

const ENV = {
  SENT_LEDGER_TABLE_NAME: 'welcome-mailer-test-sent',
  SENDER_ADDRESS: 'hello@blog.example.com',
  SES_CONFIGURATION_SET: 'welcome-mailer-test',
  SITE_URL: 'https://blog.example.com',
  SITE_NAME: 'Serverless Classics',
  SUBSCRIPTION_TOKEN_SECRET: TEST_TOKEN_SECRET,
}
const ses = mockClient(SESv2Client)
const db = mockClient(DynamoDBDocumentClient)
const { handler } = await loadWithEnv(() => import('./handler'), ENV)

describe('sendWelcome handler', () => {
  it('claims the subscriber in the configured ledger and sends from the configured sender and set', async () => {
    db.on(UpdateCommand).resolves({})
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' })
    const response = await handler(streamEvent([insertRecord(subscriber(1))]), lambdaContext('sendWelcome'))
    expect(response).toEqual({ batchItemFailures: [] })
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toMatchObject({
      FromEmailAddress: ENV.SENDER_ADDRESS,
      ConfigurationSetName: ENV.SES_CONFIGURATION_SET,
      Destination: { ToAddresses: ['reader1@example.com'] },
    })
    const tables = db.commandCalls(UpdateCommand).map(({ args: [update] }) => update.input.TableName)
    expect(new Set(tables)).toEqual(new Set([ENV.SENT_LEDGER_TABLE_NAME]))
  })

  it('logs no subscriber address, whatever happens to the email (refused, unknown outcome, poisoned record)', async () => {
    db.reset()
    ses.reset()
    db.on(UpdateCommand).resolves({})
    const refused = { ...subscriber(11), email: 'refused.reader@example.org' }
    const timedOut = { ...subscriber(12), email: 'timed.out.reader@example.org' }
    const poisoned = { ...subscriber(13), email: 'Not.Normalised@Example.org' }
    // SES's refusals quote the address they refused.
    ses
      .on(SendEmailCommand, { Destination: { ToAddresses: [refused.email] } })
      .rejects(
        new MessageRejected({
          message: `Email address is not verified: ${refused.email}`,
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .on(SendEmailCommand, { Destination: { ToAddresses: [timedOut.email] } })
      .rejects(
        Object.assign(new Error(`socket timed out sending to ${timedOut.email}`), { name: 'TimeoutError' }),
      )
    const output = await captureLogs(async () => {
      const response = await handler(
        streamEvent([insertRecord(refused), insertRecord(timedOut), insertRecord(poisoned)]),
        lambdaContext('sendWelcome'),
      )
      expect(response.batchItemFailures).toHaveLength(2)
    })
    expect(output).toContain('Email outcome unknown')
    for (const address of [refused.email, timedOut.email, poisoned.email, poisoned.email.toLowerCase()])
      expect(output.toLowerCase()).not.toContain(address.toLowerCase())
  })
})
