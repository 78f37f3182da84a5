import { utcDay } from '@app/domain/quota'
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { StartExecutionCommand } from '@aws-sdk/client-sfn'
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { ENV, routeUnderTest } from '../../testing/functions'

const { aws, call } = await routeUnderTest('startPhotoJob', () => import('./handler'))
/** POST /workflows/photo by u1 with this JSON body. */
const post = (json: unknown) => call('u1', { method: 'POST', path: '/workflows/photo', json })

describe('POST /workflows/photo', () => {
  it('starts the photo machine on the blog photo in the configured uploads bucket', async () => {
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: `${ENV.PHOTO_STATE_MACHINE_ARN}:x` })
    const response = await post({ key: 'photos/a.jpg' })
    expect(response.statusCode).toBe(202)
    const [start] = aws.sfn.commandCalls(StartExecutionCommand)
    expect(start?.args[0].input.stateMachineArn).toBe(ENV.PHOTO_STATE_MACHINE_ARN)
    expect(JSON.parse(start?.args[0].input.input ?? '{}')).toMatchObject({
      owner: 'u1',
      source: { bucket: ENV.UPLOADS_BUCKET, key: 'photos/a.jpg' },
    })
  })

  it('answers 400 for a key outside photos/', async () => {
    expect((await post({ key: 'private/a.jpg' })).statusCode).toBe(400)
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toEqual([])
  })

  it("counts the job in the configured quota table, under the caller and today's UTC date, with the configured limit", async () => {
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: `${ENV.PHOTO_STATE_MACHINE_ARN}:x` })
    const days = [utcDay(new Date())]
    expect((await post({ key: 'photos/a.jpg' })).statusCode).toBe(202)
    days.push(utcDay(new Date()))
    const [take] = aws.db.commandCalls(UpdateCommand, { TableName: ENV.QUOTA_TABLE })
    expect(days).toContain(take?.args[0].input.Key?.day)
    expect(take?.args[0].input).toMatchObject({
      Key: { owner: 'u1' },
      ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
      ExpressionAttributeValues: { ':limit': Number(ENV.JOBS_PER_USER_PER_DAY) },
    })
  })

  it('answers 429 with Retry-After once the quota is used up, starting nothing', async () => {
    aws.db
      .on(UpdateCommand, { TableName: ENV.QUOTA_TABLE })
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      )
    const response = await post({ key: 'photos/a.jpg' })
    expect(response.statusCode).toBe(429)
    expect(Number(response.headers?.['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(JSON.parse(response.body)).toMatchObject({ type: '/problems/quota-exceeded', status: 429 })
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toEqual([])
    expect(aws.db.commandCalls(PutCommand)).toEqual([])
  })
})
