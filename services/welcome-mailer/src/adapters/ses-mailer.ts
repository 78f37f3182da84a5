import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2'
import type { Mailer } from '../ports'

export interface SesMailerOptions {
  readonly from: string
  readonly configurationSet: string
}

/** Sends through SES v2 `SendEmail` (simple content: HTML + text parts, List-Unsubscribe header). */
export const sesMailer = (client: SESv2Client, options: SesMailerOptions): Mailer => ({
  async send(email) {
    const output = await client.send(
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
            // RFC 2369: lets mail clients offer their own unsubscribe button.
            Headers: [{ Name: 'List-Unsubscribe', Value: `<${email.unsubscribeUrl}>` }],
          },
        },
        EmailTags: [{ Name: 'category', Value: 'welcome' }],
      }),
    )
    if (!output.MessageId) throw new Error('SES accepted the message without a MessageId')
    return { messageId: output.MessageId }
  },
})
