import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import { type Mailer, MailNotAcceptedError } from '../ports'

export interface SesMailerOptions {
  readonly from: string
  readonly configurationSet: string
}

/** Network errors raised before a connection existed: the request never reached SES. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

/**
 * Whether an error from `SendEmail` proves that SES did not accept the message: SES answered with a
 * 4xx (MessageRejected, throttling, paused sending, bad request...), or no connection was ever made.
 * Anything else (timeouts, resets, 5xx, no answer) leaves the outcome unknown.
 */
export const provesNotAccepted = (error: unknown): boolean => {
  const { $metadata, code } = (error ?? {}) as { $metadata?: { httpStatusCode?: number }; code?: string }
  const status = $metadata?.httpStatusCode
  return (status !== undefined && status >= 400 && status < 500) || NEVER_CONNECTED.has(code ?? '')
}

/**
 * Sends through SES v2 `SendEmail` (simple content: HTML + text parts, List-Unsubscribe header).
 * Give it a client that never retries (`createSesClient`): an SDK retry after a lost response would
 * send the mail twice. Proven refusals become `MailNotAcceptedError`; other errors pass unchanged.
 */
export const sesMailer = (client: SESv2Client, options: SesMailerOptions): Mailer => ({
  async send(email) {
    const output = await client
      .send(
        new SendEmailCommand({
          FromEmailAddress: options.from,
          Destination: { ToAddresses: [email.to] },
          ConfigurationSetName: options.configurationSet,
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: email.html, Charset: 'UTF-8' },
                Text: { Data: email.text, Charset: 'UTF-8' },
              },
              // RFC 2369 + RFC 8058: mail clients offer their own button, which POSTs
              // `List-Unsubscribe=One-Click` to the URL (an https URL with a signed token).
              Headers: [
                { Name: 'List-Unsubscribe', Value: `<${email.oneClickUnsubscribeUrl}>` },
                { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
              ],
            },
          },
          EmailTags: [{ Name: 'category', Value: email.kind }],
        }),
      )
      .catch((error: unknown) => {
        if (provesNotAccepted(error))
          throw new MailNotAcceptedError('SES did not accept the message', { cause: error })
        throw error
      })
    if (!output.MessageId) throw new Error('SES accepted the message without a MessageId')
    return { messageId: output.MessageId }
  },
})
