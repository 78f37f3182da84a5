/**
 * Shared by the integration tests and the benchmark: reading aws-ses-v2-local's inbox and writing
 * subscribers the way blog-site's subscribe route stores them.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { eventually } from '@app/domain/testing'
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'

export interface StoredEmail {
  messageId: string
  from: string
  destination: { to: string[] }
  subject: string
  body: { html?: string; text?: string }
  headers?: { name: string; value: string }[]
  at: number
}

/** The mail aws-ses-v2-local accepted, optionally only since `sinceSeconds` (epoch seconds). */
export const readInbox = async (sesEndpoint: string, sinceSeconds?: number): Promise<StoredEmail[]> => {
  const response = await fetch(
    `${sesEndpoint}/store${sinceSeconds === undefined ? '' : `?since=${sinceSeconds}`}`,
  )
  if (!response.ok) throw new Error(`GET ${sesEndpoint}/store answered ${response.status}`)
  return ((await response.json()) as { emails: StoredEmail[] }).emails
}

/** A newsletter (sendNewsletter): any test file that writes a post sends one to every confirmed subscriber. */
export const isNewsletter = (email: StoredEmail) => /^New on .+: /.test(email.subject)

/**
 * The subscription mail (confirmations, welcomes) to `address`: newsletters left out, since posts
 * written by other test files sharing the cloud mail every confirmed subscriber.
 */
export const emailsTo = (inbox: StoredEmail[], address: string) =>
  inbox.filter((email) => email.destination.to.includes(address) && !isNewsletter(email))

/** The newsletters to `address`. */
export const newslettersTo = (inbox: StoredEmail[], address: string) =>
  inbox.filter((email) => email.destination.to.includes(address) && isNewsletter(email))

/**
 * Resolves with the mail accepted since `sinceSeconds` once `address` has some; fails naming the
 * address after `within` ms (well inside the test timeout). Reads only the mail since the test's
 * start, not the whole store, on each poll.
 */
export const waitForEmailTo = (
  sesEndpoint: string,
  address: string,
  { sinceSeconds = 0, within = 40_000 }: { sinceSeconds?: number; within?: number } = {},
): Promise<StoredEmail[]> =>
  eventually(
    `an email to ${address} in the local SES store`,
    () => readInbox(sesEndpoint, sinceSeconds),
    (inbox) => emailsTo(inbox, address).length > 0,
    { within, every: 50 },
  )

/** A unique, normalised address per call, so tests sharing the cloud never see each other's mail. */
export const uniqueAddress = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.com`

/**
 * The item blog-site stores for a subscriber (subscribers table, conditional on a new address):
 * `pending` as the subscribe route writes it (due a confirmation), or `confirmed` (due a welcome).
 */
export const subscriberItem = (email: string, status: 'pending' | 'confirmed' = 'confirmed') => {
  const now = new Date()
  return {
    email,
    subscriberId: randomBytes(16).toString('base64url'),
    status,
    subscribedAt: now.toISOString(),
    confirmationRound: 1,
    lastConfirmationAt: now.toISOString(),
    ...(status === 'pending' ? { expiresAt: Math.floor(now.getTime() / 1000) + 3600 } : {}),
    source: 'integration-test',
  }
}

/** The token of the first link to `path` (e.g. `/confirm`) in an email's text part. */
export const linkToken = (email: StoredEmail | undefined, path: string): string => {
  const match = new RegExp(`${path.replace('/', '\\/')}\\?token=([A-Za-z0-9_.-]+)`).exec(
    email?.body.text ?? '',
  )
  if (!match?.[1]) throw new Error(`no ${path} link in the email: ${email?.body.text}`)
  return match[1]
}

/** A header of a stored email, by name. */
export const header = (email: StoredEmail | undefined, name: string) =>
  email?.headers?.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())?.value

export const putSubscriber = (client: DynamoDBClient, tableName: string, item: Record<string, unknown>) =>
  client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: marshall(item),
      ConditionExpression: 'attribute_not_exists(email)',
    }),
  )
