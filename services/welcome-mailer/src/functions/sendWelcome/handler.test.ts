import { loadWithEnv } from '@app/runtime/testing'
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { insertRecord, lambdaContext, streamEvent, subscriber } from '../../testing/fakes'

const ENV = {
  SENT_LEDGER_TABLE_NAME: 'welcome-mailer-test-sent',
  SENDER_ADDRESS: 'hello@blog.example.com',
  SES_CONFIGURATION_SET: 'welcome-mailer-test',
  SITE_URL: 'https://blog.example.com',
  SITE_NAME: 'Serverless Classics',
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
})
