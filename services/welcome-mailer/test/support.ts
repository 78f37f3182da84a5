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

export const emailsTo = (inbox: StoredEmail[], address: string) =>
  inbox.filter((email) => email.destination.to.includes(address))

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

/** The item blog-site stores for a new subscriber (subscribers table, conditional on a new address). */
export const subscriberItem = (email: string) => ({
  email,
  subscribedAt: new Date().toISOString(),
  unsubscribeToken: randomBytes(24).toString('base64url'),
  source: 'integration-test',
})

export const putSubscriber = (client: DynamoDBClient, tableName: string, item: Record<string, unknown>) =>
  client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: marshall(item),
      ConditionExpression: 'attribute_not_exists(email)',
    }),
  )
