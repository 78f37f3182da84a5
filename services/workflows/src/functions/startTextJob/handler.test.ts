import { TEXT_INLINE_LIMIT_BYTES } from '@app/domain/text'
import { StartExecutionCommand } from '@aws-sdk/client-sfn'
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { apiCall, ENV, putKeys, routeUnderTest } from '../../testing/functions'

const { aws, call, invoke } = await routeUnderTest('startTextJob', () => import('./handler'))
/** POST /workflows/text by u1 with this JSON body. */
const post = (json: unknown) => call('u1', { method: 'POST', path: '/workflows/text', json })

describe('POST /workflows/text', () => {
  it('creates the job in the configured table and starts the text machine on it', async () => {
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: `${ENV.TEXT_STATE_MACHINE_ARN}:x` })
    const response = await post({ text: 'a b a' })
    expect(response.statusCode).toBe(202)
    const { id } = JSON.parse(response.body)
    expect(aws.db.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: ENV.JOBS_TABLE,
      Item: { jobId: id, owner: 'u1', workflow: 'text' },
    })
    const [start] = aws.sfn.commandCalls(StartExecutionCommand)
    expect(start?.args[0].input).toMatchObject({ stateMachineArn: ENV.TEXT_STATE_MACHINE_ARN, name: id })
  })

  it('puts a text above the inline limit into the configured data bucket and starts the machine on that object', async () => {
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: `${ENV.TEXT_STATE_MACHINE_ARN}:x` })
    const response = await post({ text: 'a '.repeat(TEXT_INLINE_LIMIT_BYTES) })
    expect(response.statusCode).toBe(202)
    const { id } = JSON.parse(response.body)
    const source = { kind: 's3', bucket: ENV.DATA_BUCKET, key: `texts/inputs/${id}.txt` }
    expect(putKeys(aws.s3)).toEqual([`${source.bucket}/${source.key}`])
    const [start] = aws.sfn.commandCalls(StartExecutionCommand)
    expect(JSON.parse(start?.args[0].input.input ?? '{}')).toMatchObject({ source })
  })

  it('answers 413 for an inline text whose encoded machine input exceeds 256 KiB, starting nothing', async () => {
    // 64 KiB of control characters: within the inline limit in UTF-8, ~384 KiB as JSON (\u0001 each).
    const text = '\u0001'.repeat(64 * 1024)
    const response = await post({ text })
    expect(response.statusCode).toBe(413)
    expect(JSON.parse(response.body)).toMatchObject({ type: '/problems/payload-too-large', status: 413 })
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0)
    expect(aws.db.commandCalls(PutCommand)).toHaveLength(0)
    // Counted first, then given back: a refused start costs no job of the day.
    const quota = aws.db.commandCalls(UpdateCommand, { TableName: ENV.QUOTA_TABLE })
    expect(quota.map((call) => call.args[0].input.UpdateExpression)).toEqual([
      'ADD n :one SET expiresAt = :expiresAt',
      'ADD n :minusOne',
    ])
  })

  it('still answers the 413 when giving the job back fails (the caller loses that job, nothing more)', async () => {
    aws.db
      .on(UpdateCommand, { TableName: ENV.QUOTA_TABLE, UpdateExpression: 'ADD n :minusOne' })
      .rejects(new Error('ProvisionedThroughputExceededException'))
    const response = await post({ text: '\u0001'.repeat(64 * 1024) })
    expect(response.statusCode).toBe(413)
    expect(JSON.parse(response.body)).toMatchObject({ type: '/problems/payload-too-large' })
  })

  it('starts an inline text whose encoded machine input fits', async () => {
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: `${ENV.TEXT_STATE_MACHINE_ARN}:x` })
    const text = '\u0001'.repeat(40 * 1024)
    expect((await post({ text })).statusCode).toBe(202)
  })

  it('answers 401 without a caller', async () => {
    const event = { ...apiCall('u1', { method: 'POST', path: '/workflows/text', json: { text: 'a' } }) }
    event.requestContext = { ...event.requestContext, authorizer: null }
    expect((await invoke(event)).statusCode).toBe(401)
  })
})
