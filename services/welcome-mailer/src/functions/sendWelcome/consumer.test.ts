import { describe, expect, it } from 'vitest'
import { fakeDeps, insertRecord, lambdaContext, streamEvent, subscriber } from '../../testing/fakes'
import { createConsumer } from './consumer'

describe('createConsumer', () => {
  it('welcomes every subscriber in the batch and reports no failures', async () => {
    const deps = fakeDeps()
    const response = await createConsumer(deps)(
      streamEvent([1, 2, 3].map((n) => insertRecord(subscriber(n)))),
      lambdaContext(),
    )
    expect(response).toEqual({ batchItemFailures: [] })
    expect(deps.mailer.sent.map((email) => email.to)).toEqual([
      'reader1@example.com',
      'reader2@example.com',
      'reader3@example.com',
    ])
  })

  it('reports only the poisoned record, by sequence number, and still welcomes the others', async () => {
    const deps = fakeDeps()
    const poisoned = insertRecord({
      email: 'not an address',
      subscribedAt: 'yesterday',
      unsubscribeToken: '',
    })
    const records = [insertRecord(subscriber(1)), poisoned, insertRecord(subscriber(2))]
    const response = await createConsumer(deps)(streamEvent(records), lambdaContext())
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poisoned.dynamodb?.SequenceNumber }] })
    expect(deps.mailer.sent).toHaveLength(2)
  })

  it('does not re-send the successes when the batch is redelivered from the first failure', async () => {
    const deps = fakeDeps()
    deps.mailer.failures = 1
    const records = [1, 2, 3].map((n) => insertRecord(subscriber(n)))
    const handler = createConsumer(deps)
    const first = await handler(streamEvent(records), lambdaContext())
    expect(first.batchItemFailures).toHaveLength(1)
    // The event source mapping retries from the first failed sequence number onwards.
    const failedAt = records.findIndex(
      (r) => r.dynamodb?.SequenceNumber === first.batchItemFailures[0]?.itemIdentifier,
    )
    expect(await handler(streamEvent(records.slice(failedAt)), lambdaContext())).toEqual({
      batchItemFailures: [],
    })
    for (const n of [1, 2, 3]) expect(deps.mailer.countTo(`reader${n}@example.com`)).toBe(1)
  })

  it('throws when every record failed, so the mapping can bisect the batch', async () => {
    const deps = fakeDeps()
    const records = [insertRecord({ email: 'x' }), insertRecord({ nothing: true })]
    await expect(createConsumer(deps)(streamEvent(records), lambdaContext())).rejects.toThrow(
      /All records failed/,
    )
  })

  it('rejects a record that is not an INSERT or MODIFY with a new image', async () => {
    const deps = fakeDeps()
    const modify = insertRecord(subscriber(1), { eventName: 'REMOVE' })
    const response = await createConsumer(deps)(
      streamEvent([modify, insertRecord(subscriber(2))]),
      lambdaContext(),
    )
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: modify.dynamodb?.SequenceNumber }])
    expect(deps.mailer.sent.map((email) => email.to)).toEqual(['reader2@example.com'])
  })
})
