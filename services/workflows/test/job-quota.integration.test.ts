/**
 * The daily job quota through the HTTP API as deployed locally: serverless-offline runs the start
 * functions with their own role sessions, so every count and give-back is an UpdateItem on the
 * quota table that the local AWS gateway authorizes against the packaged template before DynamoDB
 * Local runs its condition. N is the local stage's `jobsPerUserPerDay`, read from serverless.yml as
 * resolved for the stage. Every answer is checked against the OpenAPI document (429 and its
 * Retry-After included), and every 202 is a real execution on the local Step Functions host.
 */
import { workflowsApiClient } from '@app/clients'
import { secondsToNextUtcMidnight, utcDay } from '@app/domain/quota'
import { type LocalCloudForTests, localCloud } from '@app/local-cloud/testing'
import { validateResponses } from '@app/openapi/testing'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { beforeAll, describe, expect, it } from 'vitest'
import document from '../src/functions/openapi/openapi.generated.json'
import { localStores, newUser, printedModel, stepFunctions, type TestUser } from './support'

let cloud: LocalCloudForTests
let api: string
let limit: number
let quotaTable: string
let machines: { text: string; photo: string }

beforeAll(async () => {
  cloud = localCloud()
  api = `${cloud.offline.workflows!.url}/${cloud.stage}/workflows`
  const { functions } = await printedModel(cloud)
  const text = functions.get('StartTextJobLambdaFunction')!.environment
  const photo = functions.get('StartPhotoJobLambdaFunction')!.environment
  limit = Number(text.JOBS_PER_USER_PER_DAY)
  quotaTable = text.QUOTA_TABLE!
  machines = { text: text.TEXT_STATE_MACHINE_ARN!, photo: photo.PHOTO_STATE_MACHINE_ARN! }
  expect(limit).toBeGreaterThanOrEqual(2)
})
const stores = localStores(() => cloud)

const as = (user: TestUser) =>
  workflowsApiClient({ baseUrl: api, middleware: [validateResponses(document)], token: user.accessToken })
const startText = (user: TestUser, text = 'one two two') => as(user).POST('/text', { body: { text } })
/** A photo job counts like a text job (the pipeline then fails on the missing object: not this file's concern). */
const startPhoto = (user: TestUser) =>
  as(user).POST('/photo', { body: { key: `photos/quota-${user.sub}.jpg` } })

/** The executions of both machines started for `user` (their input names the owner). */
const executionsOf = async (user: TestUser) => {
  const sfn = stepFunctions(cloud)
  const all = [...(await sfn.executions(machines.text)), ...(await sfn.executions(machines.photo))]
  return all.filter((execution) => execution.input.owner === user.sub).map((execution) => execution.name)
}

/** The caller's counter of `day` as DynamoDB holds it (admin client: what an operator would read). */
const counted = async (user: TestUser, day: string) =>
  (
    await stores.db.send(
      new GetCommand({ TableName: quotaTable, Key: { owner: user.sub, day }, ConsistentRead: true }),
    )
  ).Item?.n as number | undefined

describe('the daily job quota (POST /workflows/text and /photo)', () => {
  it('starts N jobs a day, refuses the next with 429 and Retry-After to UTC midnight, and leaves another user alone', async () => {
    const [alice, bob] = await Promise.all([newUser(cloud), newUser(cloud)])
    // Refused requests count nothing: a 400 before the count, a 413 after it (given back).
    expect((await as(alice).POST('/text', { body: { text: 'x', topN: 0 } })).response.status).toBe(400)
    expect((await startText(alice, '\u0001'.repeat(64 * 1024))).response.status).toBe(413)

    const ids: string[] = []
    for (let n = 0; n < limit; n++) {
      const { data, response } = await (n === 0 ? startPhoto(alice) : startText(alice))
      expect(response.status, `start ${n + 1} of ${limit}`).toBe(202)
      ids.push(data!.id)
    }

    const before = new Date()
    const { error, response } = await startText(alice)
    const after = new Date()
    expect(response.status).toBe(429)
    expect(response.headers.get('content-type')).toContain('application/problem+json')
    expect(error).toMatchObject({ type: '/problems/quota-exceeded', status: 429 })
    const retryAfter = Number(response.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(secondsToNextUtcMidnight(after))
    expect(retryAfter).toBeLessThanOrEqual(secondsToNextUtcMidnight(before))
    // A photo job is refused too: one quota for both workflows.
    expect((await startPhoto(alice)).response.status).toBe(429)

    expect((await executionsOf(alice)).sort()).toEqual([...ids].sort())
    expect(await counted(alice, utcDay(after))).toBe(limit)
    expect((await startText(bob)).response.status).toBe(202)
  })

  it('never starts more than N when N + 5 starts arrive at once', async () => {
    const carol = await newUser(cloud)
    const answers = await Promise.all(
      Array.from({ length: limit + 5 }, (_, n) => (n % 2 ? startPhoto(carol) : startText(carol))),
    )
    const statuses = answers.map(({ response }) => response.status)
    expect(statuses.filter((status) => status === 202)).toHaveLength(limit)
    expect(statuses.filter((status) => status === 429)).toHaveLength(5)
    const started = answers.flatMap(({ data }) => (data ? [data.id] : []))
    expect((await executionsOf(carol)).sort()).toEqual(started.sort())
    expect(await counted(carol, utcDay(new Date()))).toBe(limit)
  })
})
