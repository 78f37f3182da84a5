/**
 * A workflow job's result by push: POST /workflows/text (serverless-offline, a real token) starts
 * the text machine on the local Step Functions host; its last state writes the job item, whose
 * stream (DynamoDB Local) the local event source mapping hands to onJobChange, which posts it to
 * the owner's connection. The client never polls.
 */
import { randomUUID } from 'node:crypto'
import { type LocalCloudForTests, localCloud, type TestUser } from '@app/local-cloud/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, newUser, type RealtimeClient } from './client'

let cloud: LocalCloudForTests
let alice: TestUser
let bob: TestUser
const clients: RealtimeClient[] = []

beforeAll(async () => {
  cloud = localCloud()
  ;[alice, bob] = await Promise.all([newUser(cloud), newUser(cloud)])
})
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()))
})

const workflows = (user: TestUser, path: string, init: RequestInit = {}) =>
  fetch(`${cloud.offline.workflows!.url}/${cloud.stage}/workflows${path}`, {
    ...init,
    headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' },
  })

describe('job results by push', () => {
  it('starts a text job and receives its result without polling; another user hears nothing', async () => {
    const [client, bobs] = await Promise.all([
      connect(cloud, alice.accessToken),
      connect(cloud, bob.accessToken),
    ])
    clients.push(client, bobs)
    const started = await workflows(alice, '/text', {
      method: 'POST',
      body: JSON.stringify({ text: 'push beats polling, push wins' }),
    })
    expect(started.status).toBe(202)
    const { id } = (await started.json()) as { id: string }

    const finished = await client.next(
      (m) => m.type === 'job.finished' && (m.job as { id: string }).id === id,
    )
    expect(finished).toMatchObject({
      id: expect.any(String),
      job: { id, workflow: 'text', status: 'SUCCEEDED', result: expect.any(Object) },
      links: { self: `/workflows/executions/${id}` },
    })
    // The pushed job is what GET would have answered.
    const polled = await workflows(alice, `/executions/${id}`)
    expect((finished.job as { result: unknown }).result).toEqual(
      ((await polled.json()) as { result: unknown }).result,
    )

    // Bob's own job reaches Bob, and only his: Alice's came through the same stream before it.
    const his = await workflows(bob, '/text', { method: 'POST', body: JSON.stringify({ text: 'bob' }) })
    const hisId = ((await his.json()) as { id: string }).id
    await bobs.next((m) => m.type === 'job.finished' && (m.job as { id: string }).id === hisId)
    expect(
      bobs.messages.filter((m) => String(m.type).startsWith('job.')).map((m) => (m.job as { id: string }).id),
    ).toEqual([hisId])
    expect(client.messages.some((m) => (m.job as { id?: string } | undefined)?.id === hisId)).toBe(false)
  })

  it('a job that fails arrives as job.failed with its public code', async () => {
    const client = await connect(cloud, alice.accessToken)
    clients.push(client)
    // A photo job on a photo that does not exist: the pipeline records it FAILED (not-found).
    const started = await workflows(alice, '/photo', {
      method: 'POST',
      body: JSON.stringify({ key: `photos/${randomUUID()}-missing.jpg` }),
    })
    expect(started.status).toBe(202)
    const { id } = (await started.json()) as { id: string }
    expect(
      await client.next((m) => m.type === 'job.failed' && (m.job as { id: string }).id === id),
    ).toMatchObject({
      job: { workflow: 'photo', status: 'FAILED', error: { code: 'not-found' } },
    })
  })
})
