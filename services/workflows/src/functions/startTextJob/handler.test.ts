import { lambdaContext } from '@app/runtime/testing'
import { StartExecutionCommand } from '@aws-sdk/client-sfn'
import { PutCommand } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { apiCall, ENV, loadHandler, mockedAws } from '../../testing/functions'

const aws = mockedAws()
const { handler } = await loadHandler(() => import('./handler'))

describe('POST /workflows/text', () => {
  it('creates the job in the configured table and starts the text machine on it', async () => {
    aws.sfn.on(StartExecutionCommand).resolves({ executionArn: `${ENV.TEXT_STATE_MACHINE_ARN}:x` })
    const event = apiCall('u1', { method: 'POST', path: '/workflows/text', json: { text: 'a b a' } })
    const response = await handler(event, lambdaContext('startTextJob'))
    expect(response.statusCode).toBe(202)
    const { id } = JSON.parse(response.body)
    expect(aws.db.commandCalls(PutCommand)[0]?.args[0].input).toMatchObject({
      TableName: ENV.JOBS_TABLE,
      Item: { jobId: id, owner: 'u1', workflow: 'text' },
    })
    const [start] = aws.sfn.commandCalls(StartExecutionCommand)
    expect(start?.args[0].input).toMatchObject({ stateMachineArn: ENV.TEXT_STATE_MACHINE_ARN, name: id })
  })

  it('answers 401 without a caller', async () => {
    const event = { ...apiCall('u1', { method: 'POST', path: '/workflows/text', json: { text: 'a' } }) }
    event.requestContext = { ...event.requestContext, authorizer: null }
    expect((await handler(event, lambdaContext('startTextJob'))).statusCode).toBe(401)
  })
})
