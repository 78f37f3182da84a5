/** The ledger's conditions on DynamoDB Local (the table derived from serverless.yml by the local cloud). */
import { randomUUID } from 'node:crypto'
import { localClients } from '@app/local-cloud/clients'
import { localCloud } from '@app/local-cloud/testing'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, describe, expect, it } from 'vitest'
import { ClaimLostError } from '../ports'
import { dynamoSentLedger } from './dynamo-ledger'

const cloud = localCloud()
const table = cloud.outputs['welcome-mailer']?.SentLedgerTableName as string
const { db: client } = localClients(cloud)
const ledger = dynamoSentLedger(client, table)
afterAll(() => client.destroy())

const t0 = new Date('2026-11-22T03:00:00Z')
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000)
const key = () => `welcome#ledger-${randomUUID()}`
const item = async (email: string) =>
  (await client.send(new GetCommand({ TableName: table, Key: { messageKey: email }, ConsistentRead: true })))
    .Item

describe('dynamoSentLedger', () => {
  it('claims a free address once; a second claim during the lease is busy', async () => {
    const email = key()
    expect(await ledger.claim(email, 'a', t0, at(120))).toBe('claimed')
    expect(await ledger.claim(email, 'b', at(60), at(180))).toBe('busy')
    expect(await item(email)).toMatchObject({ state: 'claimed', owner: 'a' })
  })

  it('lets exactly one of many concurrent claims win', async () => {
    const email = key()
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => ledger.claim(email, `owner-${i}`, t0, at(120))),
    )
    expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1)
    expect(outcomes.filter((outcome) => outcome === 'busy')).toHaveLength(7)
  })

  it('answers sent once the owner marked it, and never lets it be claimed again', async () => {
    const email = key()
    await ledger.claim(email, 'a', t0, at(120))
    await ledger.markSent(email, 'a', 'message-1', at(1))
    expect(await ledger.claim(email, 'b', at(10_000), at(10_120))).toBe('sent')
    expect(await item(email)).toMatchObject({ state: 'sent', messageId: 'message-1' })
  })

  it('turns an expired claim uncertain for exactly one of the deliveries that find it; nobody may send', async () => {
    const email = key()
    await ledger.claim(email, 'crashed', t0, at(120))
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) => ledger.claim(email, `retry-${i}`, at(121), at(241))),
    )
    expect(outcomes.filter((outcome) => outcome === 'abandoned')).toHaveLength(1)
    expect(outcomes.filter((outcome) => outcome === 'uncertain')).toHaveLength(5)
    await expect(ledger.markSent(email, 'crashed', 'message-x', at(122))).rejects.toBeInstanceOf(
      ClaimLostError,
    )
    await ledger.release(email, 'crashed')
    expect(await item(email)).toMatchObject({ state: 'uncertain', reason: 'lease-expired', owner: 'crashed' })
    expect(await ledger.claim(email, 'later', at(10_000), at(10_120))).toBe('uncertain')
  })

  it('records an unknown outcome for the owner only, as a terminal state', async () => {
    const email = key()
    await ledger.claim(email, 'a', t0, at(120))
    await ledger.markUncertain(email, 'b', 'send-outcome-unknown', at(1))
    expect(await item(email)).toMatchObject({ state: 'claimed', owner: 'a' })
    await ledger.markUncertain(email, 'a', 'send-outcome-unknown', at(1))
    expect(await item(email)).toMatchObject({ state: 'uncertain', reason: 'send-outcome-unknown' })
    await ledger.release(email, 'a')
    expect(await ledger.claim(email, 'c', at(10_000), at(10_120))).toBe('uncertain')
  })

  it('frees the address when its owner releases it', async () => {
    const email = key()
    await ledger.claim(email, 'a', t0, at(120))
    await ledger.release(email, 'a')
    expect(await item(email)).toBeUndefined()
    expect(await ledger.claim(email, 'b', at(1), at(121))).toBe('claimed')
  })
})
