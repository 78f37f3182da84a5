import { MessageRejected, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { MailNotAcceptedError } from '../ports'
import { provesNotAccepted, sesMailer } from './ses-mailer'

const ses = mockClient(SESv2Client)
const mailer = sesMailer(new SESv2Client({ region: 'us-east-1' }), {
  from: 'a@example.com',
  configurationSet: 'set',
})
const email = {
  to: 'b@example.com',
  kind: 'welcome' as const,
  subject: 's',
  html: 'h',
  text: 't',
  unsubscribeUrl: 'https://x.example/unsubscribe?token=u.t.s',
  oneClickUnsubscribeUrl: 'https://x.example/api/subscribers/unsubscribe?token=u.t.s',
}
const answered = (status: number, name: string) =>
  Object.assign(new Error(name), {
    name,
    $fault: status < 500 ? 'client' : 'server',
    $metadata: { httpStatusCode: status },
  })

beforeEach(() => ses.reset())

describe('sesMailer', () => {
  it('marks every message for RFC 8058 one-click unsubscribe and tags its kind', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' })
    await mailer.send(email)
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input
    expect(input?.Content?.Simple?.Headers).toEqual([
      { Name: 'List-Unsubscribe', Value: `<${email.oneClickUnsubscribeUrl}>` },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ])
    expect(input?.EmailTags).toEqual([{ Name: 'category', Value: 'welcome' }])
  })

  it('turns a refusal SES answered into MailNotAcceptedError', async () => {
    ses
      .on(SendEmailCommand)
      .rejects(
        new MessageRejected({ message: 'Email address is not verified', $metadata: { httpStatusCode: 400 } }),
      )
    await expect(mailer.send(email)).rejects.toBeInstanceOf(MailNotAcceptedError)
  })

  it.each([
    [
      'a timeout after the request left',
      Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }),
    ],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a 5xx from SES', answered(500, 'InternalFailure')],
  ])('leaves %s unknown: the error passes as it is', async (_, error) => {
    ses.on(SendEmailCommand).rejects(error)
    const failure = await mailer.send(email).catch((e: unknown) => e)
    expect(failure).not.toBeInstanceOf(MailNotAcceptedError)
    expect(failure).toBe(error)
  })
})

describe('provesNotAccepted', () => {
  it.each([
    [answered(400, 'MessageRejected'), true],
    [answered(429, 'TooManyRequestsException'), true],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), true],
    [Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), true],
    [answered(503, 'ServiceUnavailable'), false],
    [Object.assign(new Error('timed out'), { name: 'TimeoutError' }), false],
    [new Error('anything else'), false],
    [undefined, false],
  ])('%s -> %s', (error, proven) => {
    expect(provesNotAccepted(error)).toBe(proven)
  })
})
