import { describe, expect, it } from 'vitest'
import {
  fakeNewsletterDeps,
  lambdaContext,
  postItem,
  postRecord,
  recipients,
  streamEvent,
} from '../../testing/fakes'
import { createConsumer } from './consumer'

// The kit's context says 10 s remain; a real invocation starts with 900 s.
const reserve = { reserveMs: 5_000 }

describe('sendNewsletter consumer', () => {
  it('sends a newly published post to every confirmed subscriber', async () => {
    const deps = fakeNewsletterDeps(recipients(4))
    const response = await createConsumer(deps, reserve)(
      streamEvent([postRecord(postItem())]),
      lambdaContext(),
    )
    expect(response).toEqual({ batchItemFailures: [] })
    expect(deps.mailer.sent.map((email) => email.to)).toEqual(recipients(4).map((r) => r.email))
  })

  it('mails nobody for an edit of a published post, or a removal', async () => {
    const deps = fakeNewsletterDeps(recipients(3))
    const edit = postRecord(postItem(undefined, { title: 'Edited', version: 2 }), postItem())
    const removal = { ...postRecord(postItem(), postItem()), eventName: 'REMOVE' as const }
    if (removal.dynamodb) delete removal.dynamodb.NewImage
    const response = await createConsumer(deps, reserve)(streamEvent([edit, removal]), lambdaContext())
    expect(response).toEqual({ batchItemFailures: [] })
    expect(deps.mailer.sent).toEqual([])
  })

  it('sends a post that becomes published (a draft gaining the feed)', async () => {
    const deps = fakeNewsletterDeps(recipients(2))
    const { feed: _feed, ...draft } = postItem()
    await createConsumer(deps, reserve)(streamEvent([postRecord(postItem(), draft)]), lambdaContext())
    expect(deps.mailer.sent).toHaveLength(2)
  })

  it('fails the record when the invocation runs short of time, and its retry sends the rest once', async () => {
    const audience = recipients(5)
    const deps = fakeNewsletterDeps(audience)
    const record = postRecord(postItem())
    const handler = createConsumer(deps, reserve)
    const short = { ...lambdaContext(), getRemainingTimeInMillis: () => 4_000 }
    await expect(handler(streamEvent([record]), short)).rejects.toThrow(/All records failed/)
    expect(deps.mailer.sent).toEqual([])
    expect(await handler(streamEvent([record]), lambdaContext())).toEqual({ batchItemFailures: [] })
    for (const { email } of audience) expect(deps.mailer.countTo(email)).toBe(1)
  })

  it('fails a published record whose post does not parse (to the failure destination after retries)', async () => {
    const deps = fakeNewsletterDeps(recipients(1))
    await expect(
      createConsumer(deps, reserve)(
        streamEvent([postRecord(postItem(undefined, { title: 42 }))]),
        lambdaContext(),
      ),
    ).rejects.toThrow(/All records failed/)
    expect(deps.mailer.sent).toEqual([])
  })
})
