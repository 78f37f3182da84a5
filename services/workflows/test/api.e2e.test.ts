/**
 * The HTTP API through serverless-offline, authenticated with real cognito-local tokens: the start
 * functions talk to the run's local Step Functions host (services/workflows/local.ts, started by
 * the test cloud) through `@aws-sdk/client-sfn`, exactly as they talk to Step Functions in AWS.
 */
import { randomUUID } from 'node:crypto'
import { photo } from '@app/images/fixtures'
import { type LocalCloudForTests, localCloud } from '@app/local-cloud/testing'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import { composeParams, eventually, localStores, newUser, type TestUser } from './support'

let cloud: LocalCloudForTests
let api: string
let alice: TestUser
let bob: TestUser

beforeAll(async () => {
  cloud = localCloud()
  api = `${cloud.offline.workflows!.url}/${cloud.stage}/workflows`
  ;[alice, bob] = await Promise.all([newUser(cloud), newUser(cloud)])
})
const stores = localStores(() => cloud)

const call = (method: string, path: string, user?: TestUser, body?: unknown) =>
  fetch(`${api}${path}`, {
    method,
    headers: {
      ...(user ? { authorization: `Bearer ${user.accessToken}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })

const start = async (path: string, user: TestUser, body: unknown) => {
  const response = await call('POST', path, user, body)
  expect(response.status).toBe(202)
  const started = (await response.json()) as { id: string; status: string; links: { self: string } }
  expect(response.headers.get('location')).toBe(`/workflows/executions/${started.id}`)
  return started
}

/** A PNG under photos/ in blog-site's uploads bucket, as an author's upload; returns its key. */
const uploadPhoto = async (width: number, height: number) => {
  const key = `photos/${randomUUID()}.png`
  await stores.s3.send(
    new PutObjectCommand({
      Bucket: composeParams(cloud).uploadsBucketName,
      Key: key,
      Body: await photo(width, height, 'png'),
    }),
  )
  return key
}

/** Polls the status API until the job leaves RUNNING. */
const finished = (id: string, user: TestUser) =>
  eventually(
    `job ${id} to leave RUNNING`,
    async () => (await (await call('GET', `/executions/${id}`, user)).json()) as Record<string, unknown>,
    (job) => job.status !== 'RUNNING',
  )

describe('POST /workflows/text', () => {
  it('runs the text pipeline and reports the word counts', async () => {
    const started = await start('/text', alice, {
      text: 'Hello, hello! 안녕하세요 세계 👍🏽 café CAFE\u0301',
      topN: 1,
    })
    expect(started.status).toBe('RUNNING')
    const job = await finished(started.id, alice)
    expect(job).toMatchObject({
      id: started.id,
      workflow: 'text',
      status: 'SUCCEEDED',
      result: { totalWords: 6, distinctWords: 4, topWords: [{ word: 'café', count: 2 }] },
    })
  })

  it('sends a text above the inline limit through S3', async () => {
    const text = '가나다 abc déjà-vu 123\n'.repeat(5_000)
    const started = await start('/text', alice, { text })
    const job = await finished(started.id, alice)
    // The hyphen is punctuation: déjà-vu counts as two words.
    expect(job).toMatchObject({ status: 'SUCCEEDED', result: { totalWords: 5 * 5_000, distinctWords: 5 } })
  })

  it('answers 413 when the encoded machine input would exceed Step Functions 256 KiB', async () => {
    // Within the inline limit in UTF-8 (64 KiB), ~384 KiB once JSON escapes each control character.
    const response = await call('POST', '/text', alice, { text: '\u0001'.repeat(64 * 1024) })
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toContain('application/problem+json')
  })

  it('answers 400 for invalid bodies and 401 without a valid token, starting nothing', async () => {
    expect((await call('POST', '/text', alice, { text: 42 })).status).toBe(400)
    expect((await call('POST', '/text', alice, { text: 'x', topN: 0 })).status).toBe(400)
    expect((await call('POST', '/text', alice, { text: 'x', extra: true })).status).toBe(400)
    const anonymous = await call('POST', '/text', undefined, { text: 'x' })
    expect(anonymous.status).toBe(401)
    const forged = await fetch(`${api}/text`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${alice.accessToken.slice(0, -4)}AAAA`,
        'content-type': 'application/json',
      },
      body: '{"text":"x"}',
    })
    expect([401, 403]).toContain(forged.status)
  })
})

describe('POST /workflows/photo', () => {
  it('runs the photo pipeline on a blog photo and reports every branch', async () => {
    const key = await uploadPhoto(640, 480)
    const started = await start('/photo', alice, { key })
    const job = await finished(started.id, alice)
    expect(job).toMatchObject({
      status: 'SUCCEEDED',
      result: {
        info: { format: 'png', width: 640, height: 480 },
        renditions: {
          resized: { width: 640 },
          cropped: { width: 480, height: 480 },
          greyscale: { width: 640 },
        },
      },
    })
  })

  it('reports a missing photo as a failed job in the fixed vocabulary, none of our internals', async () => {
    const started = await start('/photo', alice, { key: `photos/${randomUUID()}-missing.jpg` })
    const job = await finished(started.id, alice)
    expect(job).toMatchObject({ status: 'FAILED' })
    // The step's error says "No photo at s3://<bucket>/<key>"; the caller sees only a code and its text.
    expect(job.error).toEqual({
      code: 'not-found',
      message: 'The job refers to something that does not exist.',
    })
    const body = JSON.stringify(job)
    expect(body).not.toMatch(/s3:\/\/|arn:aws|missing\.jpg/)
    expect(body).not.toContain(composeParams(cloud).uploadsBucketName)
  })

  it('refuses keys outside photos/', async () => {
    expect((await call('POST', '/photo', alice, { key: 'private/secret.jpg' })).status).toBe(400)
    expect((await call('POST', '/photo', alice, { key: 'photos/../private/secret.jpg' })).status).toBe(400)
  })
})

describe('GET /workflows/executions/{id}', () => {
  it("answers 404 for another user's job and for unknown ids, 400 for malformed ids", async () => {
    const started = await start('/text', alice, { text: 'mine' })
    await finished(started.id, alice)
    const asBob = await call('GET', `/executions/${started.id}`, bob)
    expect(asBob.status).toBe(404)
    expect(asBob.headers.get('content-type')).toContain('application/problem+json')
    expect((await call('GET', `/executions/${randomUUID()}`, alice)).status).toBe(404)
    expect((await call('GET', '/executions/not-a-uuid', alice)).status).toBe(400)
    expect((await call('GET', `/executions/${started.id}`)).status).toBe(401)
  })
})

describe('execution status changes (local.ts wiring)', () => {
  it('records an aborted photo execution on the job item through recordExecutionStatus, as the rule would', async () => {
    const key = await uploadPhoto(64, 64)
    const started = await start('/photo', alice, { key })
    const sfn = new SFNClient({
      endpoint: cloud.endpoints.stepFunctions,
      region: cloud.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    })
    try {
      const machine = `workflows-${cloud.stage}-photo`
      const executionArn = `arn:aws:states:${cloud.region}:000000000000:execution:${machine}:${started.id}`
      await sfn.send(new StopExecutionCommand({ executionArn }))
    } finally {
      sfn.destroy()
    }
    const item = await eventually(
      `job ${started.id} to be recorded ABORTED`,
      async () =>
        (
          await stores.db.send(
            new GetCommand({ TableName: `workflows-${cloud.stage}-jobs`, Key: { jobId: started.id } }),
          )
        ).Item,
      (found) => found?.status !== 'RUNNING',
    )
    expect(item).toMatchObject({ status: 'ABORTED', error: { name: 'States.Aborted' } })
    expect(await finished(started.id, alice)).toMatchObject({
      status: 'ABORTED',
      error: { code: 'aborted', message: 'The job was stopped before it finished.' },
    })
  })
})
