import { ConfigError, readConfig } from '@app/runtime/config'
import { describe, expect, it } from 'vitest'
import { sendWelcomeConfigSchema } from './config'

const env = {
  SENT_LEDGER_TABLE_NAME: 'welcome-mailer-dev-sent-emails',
  SENDER_ADDRESS: 'Serverless Classics <welcome@example.com>',
  SES_CONFIGURATION_SET: 'welcome-mailer-dev',
  SITE_URL: 'https://blog.example.com',
  SITE_NAME: 'Serverless Classics',
  SUBSCRIPTION_TOKEN_SECRET: 'test-only-subscription-token-key-0123456789',
}

describe('sendWelcomeConfigSchema', () => {
  it('reads the settings with their defaults', () => {
    expect(readConfig(sendWelcomeConfigSchema, env)).toMatchObject({
      ...env,
      CLAIM_LEASE_SECONDS: 120,
      AWS_REGION: 'us-east-1',
    })
  })

  it('refuses a site URL that is not http(s), since it becomes the unsubscribe link', () => {
    expect(() =>
      readConfig(sendWelcomeConfigSchema, {
        ...env,
        SITE_URL: 'arn:aws:local:us-east-1:0:unavailable/SiteUrl',
      }),
    ).toThrow(ConfigError)
  })

  it('names every missing setting', () => {
    expect(() => readConfig(sendWelcomeConfigSchema, {})).toThrow(
      /SENT_LEDGER_TABLE_NAME.*SENDER_ADDRESS.*SES_CONFIGURATION_SET.*SITE_URL.*SITE_NAME.*SUBSCRIPTION_TOKEN_SECRET/,
    )
  })
})
