/**
 * The HTTP API through serverless-offline, authenticated with real cognito-local tokens: the start
 * functions talk to the run's local Step Functions host (services/workflows/local.ts, started by
 * the test cloud) through `@aws-sdk/client-sfn`, exactly as they talk to Step Functions in AWS.
 * Requests go through the typed client (`@app/clients`), and every answer is checked against the
 * API's OpenAPI document (`validateResponses`); only requests a typed client cannot send (a body
 * of the wrong type or with an unknown field, a forged token) use raw fetch.
 */
import { randomUUID } from 'node:crypto'
import { workflowsApiClient } from '@app/clients'
import { photo } from '@app/images/fixtures'
import { type LocalCloudForTests, localCloud } from '@app/local-cloud/testing'
import { validateResponses } from '@app/openapi/testing'
import { PutObjectCommand } from '@aws-sdk/client-s3'
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import document from '../src/functions/openapi/openapi.generated.json'
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

const checked = validateResponses(document)
const as = (user?: TestUser) =>
  workflowsApiClient({ baseUrl: api, middleware: [checked], ...(user ? { token: user.accessToken } : {}) })

/** For what a typed client cannot send: a body of the wrong type or with an unknown field. */
const raw = (path: string, user: TestUser, body: unknown) =>
  fetch(`${api}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${user.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

const start = async (
  answer: Promise<{ data?: { id: string; status: string; links: { self: string } }; response: Response }>,
) => {
  const { data: started, response } = await answer
  expect(response.status).toBe(202)
  expect(response.headers.get('location')).toBe(`/workflows/executions/${started!.id}`)
  return started!
}
const startText = (user: TestUser, body: { text: string; topN?: number }) =>
  start(as(user).POST('/text', { body }))
const startPhoto = (user: TestUser, key: string) => start(as(user).POST('/photo', { body: { key } }))
const getJob = (id: string, user?: TestUser) => as(user).GET('/executions/{id}', { params: { path: { id } } })

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
    async () => (await getJob(id, user)).data!,
    (job) => job.status !== 'RUNNING',
  )

describe('POST /workflows/text', () => {
  it('runs the text pipeline and reports the word counts', async () => {
    const started = await startText(alice, {
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
    const started = await startText(alice, { text })
    const job = await finished(started.id, alice)
    // The hyphen is punctuation: déjà-vu counts as two words.
    expect(job).toMatchObject({ status: 'SUCCEEDED', result: { totalWords: 5 * 5_000, distinctWords: 5 } })
  })

  it('answers 413 when the encoded machine input would exceed Step Functions 256 KiB', async () => {
    // Within the inline limit in UTF-8 (64 KiB), ~384 KiB once JSON escapes each control character.
    const { response } = await as(alice).POST('/text', { body: { text: '\u0001'.repeat(64 * 1024) } })
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toContain('application/problem+json')
  })

  it('answers 400 for invalid bodies and 401 without a valid token, starting nothing', async () => {
    expect((await raw('/text', alice, { text: 42 })).status).toBe(400)
    expect((await as(alice).POST('/text', { body: { text: 'x', topN: 0 } })).response.status).toBe(400)
    expect((await raw('/text', alice, { text: 'x', extra: true })).status).toBe(400)
    const anonymous = await as().POST('/text', { body: { text: 'x' } })
    expect(anonymous.response.status).toBe(401)
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
    const started = await startPhoto(alice, key)
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
    const started = await startPhoto(alice, `photos/${randomUUID()}-missing.jpg`)
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
    for (const key of ['private/secret.jpg', 'photos/../private/secret.jpg'])
      expect((await as(alice).POST('/photo', { body: { key } })).response.status).toBe(400)
  })
})

describe('GET /workflows/executions/{id}', () => {
  it("answers 404 for another user's job and for unknown ids, 400 for malformed ids", async () => {
    const started = await startText(alice, { text: 'mine' })
    await finished(started.id, alice)
    const asBob = await getJob(started.id, bob)
    expect(asBob.response.status).toBe(404)
    expect(asBob.response.headers.get('content-type')).toContain('application/problem+json')
    expect(asBob.error).toMatchObject({ status: 404, type: '/problems/not-found' })
    expect((await getJob(randomUUID(), alice)).response.status).toBe(404)
    expect((await getJob('not-a-uuid', alice)).response.status).toBe(400)
    expect((await getJob(started.id)).response.status).toBe(401)
  })
})

describe('execution status changes (local.ts wiring)', () => {
  it('records an aborted photo execution on the job item through recordExecutionStatus, as the rule would', async () => {
    const key = await uploadPhoto(64, 64)
    const started = await startPhoto(alice, key)
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
